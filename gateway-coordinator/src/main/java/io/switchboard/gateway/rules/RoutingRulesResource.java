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

import com.google.common.collect.ImmutableMap;
import com.google.inject.Inject;
import io.switchboard.gateway.api.ApiJson;
import io.switchboard.gateway.api.GatewayException;
import io.switchboard.gateway.audit.Actor;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.routing.ClusterSelector;
import io.switchboard.store.rules.RoutingRulesDao;
import io.switchboard.store.rules.RuleSetVersion;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.switchboard.gateway.api.GatewayException.Reason.INVALID_REQUEST;
import static io.switchboard.gateway.api.GatewayException.Reason.NOT_FOUND;
import static java.util.Objects.requireNonNull;

@Path("/api/v1/routing-rules")
@Produces(MediaType.APPLICATION_JSON)
public class RoutingRulesResource
{
    private static final String RULE_SHAPE = "{\"name\": \"airflow-to-etl\", \"priority\": 10, \"condition\": \"source == 'airflow'\", \"routingGroup\": \"etl\"}";
    private static final String GROUP_SHAPE = "{\"fallback\": \"adhoc\"} or {\"isolated\": true}";
    private static final String IMPORT_SHAPE = "{\"yaml\": \"<a trino-gateway rules file, or this gateway's rules: and groups:>\", \"dialect\": \"TRINO_GATEWAY or PRESTO_GATEWAY\"}";
    private static final String EVALUATE_SHAPE = "{\"headers\": {\"X-Trino-User\": \"alice\", \"X-Trino-Source\": \"airflow\"}, \"sql\": \"SELECT 1\"}";

    private final RoutingRules rules;
    private final RoutingRulesAdmin admin;
    private final RoutingRulesDao dao;
    private final RuleDocuments documents;
    private final ClusterSelector selector;
    private final ApiJson json;

    public record RulesView(long version, String source, List<RoutingRule> rules, Map<String, GroupPolicy> groups, Map<String, RuleCounters> counters) {}

    public record RuleCounters(long matches, long errors) {}

    public record Changed(long version) {}

    public record ImportRequest(String yaml, RuleDocuments.Dialect dialect) {}

    public record EvaluateRequest(Map<String, String> headers, String sql, String clientAddress, Instant time) {}

    public record EvaluateResult(
            Map<String, Object> facts,
            Optional<String> sqlProblem,
            Optional<String> clientGroup,
            List<CompiledRuleSet.RuleResult> rules,
            String routingGroup,
            Optional<String> rule,
            List<String> addClientTags,
            Map<String, String> setSessionProperties,
            int queuePriority,
            Optional<String> admissionClass,
            List<String> groupsToTry,
            Optional<String> groupWithClusters,
            List<String> clusters) {}

    @Inject
    public RoutingRulesResource(RoutingRules rules, RoutingRulesAdmin admin, RoutingRulesDao dao, RuleDocuments documents, ClusterSelector selector, ApiJson json)
    {
        this.rules = requireNonNull(rules, "rules is null");
        this.admin = requireNonNull(admin, "admin is null");
        this.dao = requireNonNull(dao, "dao is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.selector = requireNonNull(selector, "selector is null");
        this.json = requireNonNull(json, "json is null");
    }

    /**
     * The rules this gateway routes by, with how often each matched here.
     */
    @GET
    public RulesView list()
    {
        RoutingRules.Loaded loaded = rules.loaded();
        ImmutableMap.Builder<String, RuleCounters> counters = ImmutableMap.builder();
        loaded.rules().rules().forEach(rule -> counters.put(rule.name(), new RuleCounters(rule.counters().matches().get(), rule.counters().errors().get())));
        return new RulesView(loaded.version(), rules.fileManaged() ? "file" : "mysql", loaded.rules().source().rules(), loaded.rules().source().groups(), counters.buildOrThrow());
    }

    @GET
    @Path("{name}")
    public RoutingRule get(@PathParam("name") String name)
    {
        return rules.loaded().rules().source().rule(name).orElseThrow(() -> new GatewayException(NOT_FOUND, "Rule '" + name + "' does not exist"));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body, @Context HttpServletRequest request)
    {
        long version = admin.add(json.read(body, RoutingRule.class, RULE_SHAPE), Actor.of(request));
        return Response.status(Response.Status.CREATED).entity(new Changed(version)).build();
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Changed update(@PathParam("name") String name, String body, @Context HttpServletRequest request)
    {
        return new Changed(admin.update(name, json.read(body, RoutingRule.class, RULE_SHAPE), Actor.of(request)));
    }

    @DELETE
    @Path("{name}")
    public Changed delete(@PathParam("name") String name, @Context HttpServletRequest request)
    {
        return new Changed(admin.delete(name, Actor.of(request)));
    }

    /**
     * What happens when no cluster of the group accepts queries: {"fallback": "adhoc"} or {"isolated": true}.
     */
    @PUT
    @Path("groups/{group}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Changed setGroup(@PathParam("group") String group, String body, @Context HttpServletRequest request)
    {
        return new Changed(admin.setGroup(group, json.read(body, GroupPolicy.class, GROUP_SHAPE), Actor.of(request)));
    }

    @DELETE
    @Path("groups/{group}")
    public Changed removeGroup(@PathParam("group") String group, @Context HttpServletRequest request)
    {
        return new Changed(admin.removeGroup(group, Actor.of(request)));
    }

    /**
     * Replaces every rule by those of a YAML rules file.
     */
    @POST
    @Path("import")
    @Consumes(MediaType.APPLICATION_JSON)
    public Changed importYaml(String body, @Context HttpServletRequest request)
    {
        ImportRequest importRequest = json.read(body, ImportRequest.class, IMPORT_SHAPE);
        if (importRequest.yaml() == null) {
            throw new GatewayException(INVALID_REQUEST, "The field yaml is required: " + IMPORT_SHAPE);
        }
        RuleSet ruleSet;
        try {
            ruleSet = documents.fromYaml(importRequest.yaml(), importRequest.dialect() == null ? RuleDocuments.Dialect.TRINO_GATEWAY : importRequest.dialect());
        }
        catch (IllegalArgumentException e) {
            throw new GatewayException(INVALID_REQUEST, e.getMessage() + "; nothing was changed");
        }
        return new Changed(admin.replace(ruleSet, Actor.of(request)));
    }

    @GET
    @Path("export")
    @Produces("application/yaml")
    public String exportYaml()
    {
        return documents.toGatewayYaml(rules.loaded().rules().source());
    }

    @GET
    @Path("versions")
    public List<RuleSetVersion> versions(@QueryParam("limit") @DefaultValue("100") int limit)
    {
        if (limit < 1 || limit > 10_000) {
            throw new GatewayException(INVALID_REQUEST, "limit must be between 1 and 10000");
        }
        return dao.versions(limit);
    }

    @GET
    @Path("versions/{version}")
    public RuleSet version(@PathParam("version") long version)
    {
        return dao.document(version)
                .map(documents::fromJson)
                .orElseThrow(() -> new GatewayException(NOT_FOUND, "Version " + version + " of the routing rules does not exist"));
    }

    @POST
    @Path("versions/{version}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    public Changed rollback(@PathParam("version") long version, @Context HttpServletRequest request)
    {
        return new Changed(admin.rollback(version, Actor.of(request)));
    }

    /**
     * A dry run: the facts of a query made of the given headers and SQL, what every rule said of
     * it, and where the gateway would send it now. Runs nothing and counts nothing.
     */
    @POST
    @Path("evaluate")
    @Consumes(MediaType.APPLICATION_JSON)
    public EvaluateResult evaluate(String body, @Context HttpServletRequest request)
    {
        EvaluateRequest evaluate = json.read(body, EvaluateRequest.class, EVALUATE_SHAPE);
        RuleInput input = RuleInput.of(
                evaluate.headers() == null ? Map.of() : evaluate.headers(),
                evaluate.sql() == null ? "" : evaluate.sql(),
                evaluate.clientAddress() == null ? request.getRemoteAddr() : evaluate.clientAddress(),
                evaluate.time() == null ? Instant.now() : evaluate.time());
        RuleFacts facts = rules.facts(input);
        List<CompiledRuleSet.RuleResult> results = new ArrayList<>();
        RoutingDecision decision = rules.loaded().rules().explain(facts, results);
        Optional<String> clientGroup = rules.clientGroup(input);
        String group = clientGroup.orElse(decision.routingGroup().orElse(rules.defaultGroup()));
        List<String> groupsToTry = rules.groupsToTry(group);
        Optional<String> groupWithClusters = Optional.empty();
        List<String> clusters = List.of();
        for (String candidate : groupsToTry) {
            List<Cluster> routable = selector.candidates(candidate);
            if (!routable.isEmpty()) {
                groupWithClusters = Optional.of(candidate);
                clusters = routable.stream().map(Cluster::name).toList();
                break;
            }
        }
        return new EvaluateResult(
                facts.all(),
                facts.sqlProblem(),
                clientGroup,
                results,
                group,
                clientGroup.isPresent() ? Optional.empty() : decision.rule(),
                decision.addClientTags(),
                decision.setSessionProperties(),
                // as routing does: a group the client names skips the rules, and so their priority and class
                clientGroup.isPresent() ? 0 : decision.queuePriority().orElse(0),
                clientGroup.isPresent() ? Optional.empty() : decision.admissionClass(),
                groupsToTry,
                groupWithClusters,
                clusters);
    }
}
