/*
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.switchboard.gateway.rules;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.gateway.cluster.ClusterConfig;
import io.switchboard.gateway.database.GatewayDatabase;
import io.switchboard.gateway.routing.RoutingConfig;
import io.switchboard.gateway.rules.sql.SqlFactsExtractor;
import io.switchboard.store.rules.RoutingRulesDao;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * The routing rules in force on this gateway: the newest version in MySQL (or the rules file),
 * re-read every {@code clusters.refresh-interval}. Routing reads only the compiled rules in memory;
 * when MySQL cannot be reached, or a newer version does not compile here, the gateway keeps
 * routing by the rules it last loaded.
 */
public class RoutingRules
{
    private static final Logger log = Logger.get(RoutingRules.class);
    private static final int MAX_FALLBACKS = 8;
    private static final GroupPolicy DEFAULT_POLICY = new GroupPolicy(Optional.empty(), false);

    private final GatewayDatabase database;
    private final RoutingRulesDao dao;
    private final RuleCompiler compiler;
    private final RuleDocuments documents;
    private final SqlFactsExtractor sqlFacts;
    private final String defaultGroup;
    private final boolean clientGroupAllowed;
    private final Optional<Path> rulesFile;
    private final long refreshMillis;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(daemonThreadsNamed("rules-refresh"));
    private volatile Loaded loaded = new Loaded(0, "", CompiledRuleSet.EMPTY);
    private volatile String lastProblem = "";

    /**
     * @param version the version in MySQL, or 0 for the rules file and before any rules exist
     * @param fileContent the rules file's content it was loaded from
     */
    public record Loaded(long version, String fileContent, CompiledRuleSet rules) {}

    @Inject
    public RoutingRules(
            GatewayDatabase database,
            RoutingRulesDao dao,
            RuleCompiler compiler,
            RuleDocuments documents,
            SqlFactsExtractor sqlFacts,
            RoutingConfig routingConfig,
            RulesConfig config,
            ClusterConfig clusterConfig)
    {
        this.database = requireNonNull(database, "database is null");
        this.dao = requireNonNull(dao, "dao is null");
        this.compiler = requireNonNull(compiler, "compiler is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.sqlFacts = requireNonNull(sqlFacts, "sqlFacts is null");
        this.defaultGroup = routingConfig.getDefaultGroup();
        this.clientGroupAllowed = config.isClientGroupAllowed();
        this.rulesFile = config.getRulesFile().map(Path::of);
        this.refreshMillis = clusterConfig.getRefreshInterval().toMillis();
    }

    @PostConstruct
    public void start()
    {
        refresh();
        refresher.scheduleWithFixedDelay(this::refresh, refreshMillis, refreshMillis, MILLISECONDS);
    }

    @PreDestroy
    public void stop()
    {
        refresher.shutdownNow();
    }

    public Loaded loaded()
    {
        return loaded;
    }

    public boolean fileManaged()
    {
        return rulesFile.isPresent();
    }

    public synchronized void refresh()
    {
        try {
            if (rulesFile.isPresent()) {
                refreshFromFile(rulesFile.get());
            }
            else if (database.ensureSchema()) {
                refreshFromDatabase();
            }
        }
        catch (RuntimeException | IOException e) {
            problem("Cannot read the routing rules (%s); routing by the %s rules of version %s loaded before".formatted(e.getMessage(), loaded.rules().rules().size(), loaded.version()));
        }
    }

    private void refreshFromDatabase()
    {
        long latest = dao.latestVersion();
        if (latest == loaded.version()) {
            return;
        }
        String document = dao.document(latest).orElseThrow(() -> new IllegalStateException("version " + latest + " disappeared"));
        try {
            loaded = new Loaded(latest, "", compiler.compile(documents.fromJson(document)));
            lastProblem = "";
            log.info("Routing by version %s of the routing rules (%s rules)", latest, loaded.rules().rules().size());
        }
        catch (IllegalArgumentException | InvalidRuleException e) {
            problem("Version %s of the routing rules does not load on this gateway (%s); routing by version %s".formatted(latest, e.getMessage(), loaded.version()));
        }
    }

    private void refreshFromFile(Path file)
            throws IOException
    {
        String content = Files.readString(file, UTF_8);
        if (content.equals(loaded.fileContent()) && !content.isEmpty()) {
            return;
        }
        try {
            loaded = new Loaded(0, content, compiler.compile(documents.fromYaml(content)));
            lastProblem = "";
            log.info("Routing by the %s rules of %s", loaded.rules().rules().size(), file);
        }
        catch (IllegalArgumentException | InvalidRuleException e) {
            problem("The rules file %s does not load (%s); routing by the rules loaded before".formatted(file, e.getMessage()));
        }
    }

    private void problem(String message)
    {
        if (!message.equals(lastProblem)) {
            log.warn("%s", message);
            lastProblem = message;
        }
    }

    /**
     * Decides the routing group of a new query: the client's, if it names one in its routing
     * group header (given as sent, empty when absent) and clients may choose, else the rules',
     * else the default group.
     */
    public Decision decide(String clientGroupHeader, Supplier<RuleInput> input)
    {
        Optional<String> clientGroup = clientGroup(clientGroupHeader);
        if (clientGroup.isPresent()) {
            return new Decision(clientGroup.get(), RoutingDecision.NONE);
        }
        CompiledRuleSet rules = loaded.rules();
        if (rules.rules().isEmpty()) {
            return new Decision(defaultGroup, RoutingDecision.NONE);
        }
        RoutingDecision decision = rules.route(new RuleFacts(input.get(), sqlFacts));
        return new Decision(decision.routingGroup().orElse(defaultGroup), decision);
    }

    public Optional<String> clientGroup(RuleInput input)
    {
        return clientGroup(input.protocolHeader("routing-group").orElse(""));
    }

    private Optional<String> clientGroup(String header)
    {
        String group = header.trim();
        return clientGroupAllowed && !group.isEmpty() ? Optional.of(group) : Optional.empty();
    }

    public RuleFacts facts(RuleInput input)
    {
        return new RuleFacts(input, sqlFacts);
    }

    public String defaultGroup()
    {
        return defaultGroup;
    }

    /**
     * The groups to try, in order, for a query routed to {@code group}: the group, then its
     * fallbacks (by default the default group), none after an isolated group.
     */
    public List<String> groupsToTry(String group)
    {
        CompiledRuleSet rules = loaded.rules();
        Set<String> groups = new LinkedHashSet<>();
        String current = group;
        while (groups.add(current) && groups.size() <= MAX_FALLBACKS) {
            GroupPolicy policy = rules.source().groups().getOrDefault(current, DEFAULT_POLICY);
            if (policy.isolated()) {
                break;
            }
            current = policy.fallback().orElse(defaultGroup);
        }
        return ImmutableList.copyOf(groups);
    }

    public boolean isolated(String group)
    {
        GroupPolicy policy = loaded.rules().source().groups().get(group);
        return policy != null && policy.isolated();
    }

    /**
     * The routing group of a query and what the rules decided for it.
     */
    public record Decision(String group, RoutingDecision rules)
    {
        public Decision
        {
            requireNonNull(group, "group is null");
            requireNonNull(rules, "rules is null");
        }
    }
}
