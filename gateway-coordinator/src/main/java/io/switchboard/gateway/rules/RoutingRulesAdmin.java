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
import io.switchboard.gateway.api.GatewayException;
import io.switchboard.gateway.audit.Actor;
import io.switchboard.gateway.audit.AuditLog;
import io.switchboard.store.rules.RoutingRulesDao;

import java.util.function.UnaryOperator;

import static io.switchboard.gateway.api.GatewayException.Reason.CONFLICT;
import static io.switchboard.gateway.api.GatewayException.Reason.INVALID_REQUEST;
import static io.switchboard.gateway.api.GatewayException.Reason.NOT_FOUND;
import static java.util.Objects.requireNonNull;

/**
 * Every change to the routing rules: checked by compiling the whole new rule set (an invalid rule
 * changes nothing), written as a new version, audited, and in force on this gateway at once and
 * on the other replicas within {@code clusters.refresh-interval}.
 */
public class RoutingRulesAdmin
{
    private static final int ATTEMPTS = 3;

    private final RoutingRules rules;
    private final RoutingRulesDao dao;
    private final RuleCompiler compiler;
    private final RuleDocuments documents;
    private final AuditLog auditLog;

    @Inject
    public RoutingRulesAdmin(RoutingRules rules, RoutingRulesDao dao, RuleCompiler compiler, RuleDocuments documents, AuditLog auditLog)
    {
        this.rules = requireNonNull(rules, "rules is null");
        this.dao = requireNonNull(dao, "dao is null");
        this.compiler = requireNonNull(compiler, "compiler is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.auditLog = requireNonNull(auditLog, "auditLog is null");
    }

    public long add(RoutingRule rule, Actor actor)
    {
        return change(actor, "ADD_ROUTING_RULE", rule.name(), existing -> {
            if (existing.rule(rule.name()).isPresent()) {
                throw new GatewayException(CONFLICT, "Rule '" + rule.name() + "' already exists; use PUT /api/v1/routing-rules/" + rule.name() + " to change it");
            }
            return existing.withRule(rule);
        });
    }

    public long update(String name, RoutingRule rule, Actor actor)
    {
        if (!rule.name().equals(name)) {
            throw new GatewayException(INVALID_REQUEST, "The name in the body ('" + rule.name() + "') differs from the name in the path ('" + name + "'); rules cannot be renamed");
        }
        return change(actor, "UPDATE_ROUTING_RULE", name, existing -> {
            existing.rule(name).orElseThrow(() -> unknownRule(name));
            return existing.withRule(rule);
        });
    }

    public long delete(String name, Actor actor)
    {
        return change(actor, "DELETE_ROUTING_RULE", name, existing -> {
            existing.rule(name).orElseThrow(() -> unknownRule(name));
            return existing.withoutRule(name);
        });
    }

    public long setGroup(String group, GroupPolicy policy, Actor actor)
    {
        return change(actor, "SET_ROUTING_GROUP_POLICY", group, existing -> existing.withGroup(group, policy));
    }

    public long removeGroup(String group, Actor actor)
    {
        return change(actor, "REMOVE_ROUTING_GROUP_POLICY", group, existing -> {
            if (!existing.groups().containsKey(group)) {
                throw new GatewayException(NOT_FOUND, "Routing group '" + group + "' has no policy");
            }
            return existing.withoutGroup(group);
        });
    }

    /**
     * Replaces every rule and group policy, as an import does.
     */
    public long replace(RuleSet ruleSet, Actor actor)
    {
        return change(actor, "REPLACE_ROUTING_RULES", ruleSet.rules().size() + " rules", _ -> ruleSet);
    }

    public long rollback(long version, Actor actor)
    {
        String document = dao.document(version).orElseThrow(() -> new GatewayException(NOT_FOUND, "Version " + version + " of the routing rules does not exist; GET /api/v1/routing-rules/versions lists them"));
        return change(actor, "ROLLBACK_ROUTING_RULES", "version " + version, _ -> documents.fromJson(document));
    }

    private long change(Actor actor, String action, String target, UnaryOperator<RuleSet> change)
    {
        if (rules.fileManaged()) {
            throw new GatewayException(CONFLICT, "The routing rules are managed in the file of routing.rules-file; change that file instead");
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long latest = dao.latestVersion();
            RuleSet before = latest == 0 ? RuleSet.EMPTY : documents.fromJson(dao.document(latest).orElseThrow());
            RuleSet after = change.apply(before);
            try {
                compiler.compile(after);
            }
            catch (InvalidRuleException e) {
                throw new GatewayException(INVALID_REQUEST, e.getMessage() + "; nothing was changed");
            }
            long version = latest + 1;
            if (dao.insert(version, documents.toJson(after), actor.name(), action + " " + target)) {
                auditLog.record(actor, action, target, ImmutableMap.of("version", version, "previousVersion", latest));
                rules.refresh();
                return version;
            }
        }
        throw new GatewayException(CONFLICT, "The routing rules were changed by someone else at the same time; retry");
    }

    private static GatewayException unknownRule(String name)
    {
        return new GatewayException(NOT_FOUND, "Rule '" + name + "' does not exist");
    }
}
