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

import io.airlift.units.DataSize;
import io.switchboard.gateway.rules.sql.SqlFactsExtractor;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

final class TestRuleGuard
{
    private static final SqlFactsExtractor SQL = new SqlFactsExtractor(DataSize.of(1, DataSize.Unit.MEGABYTE));
    private static final List<Map<String, String>> QUERIES = List.of(
            Map.of(),
            Map.of("X-Trino-Source", "airflow", "X-Trino-User", "svc_etl_1"),
            Map.of("X-Trino-Source", "tableau", "X-Trino-Client-Tags", "team-1,nightly", "X-Team", "data"),
            Map.of("X-Trino-User", "service-7", "X-Trino-Session", "query_priority=2", "X-Team", "ops"));

    private final RuleCompiler compiler = new RuleCompiler();

    @Test
    void guardsRejectOnlyQueriesTheConditionCannotMatch()
    {
        List<String> conditions = List.of(
                "source == 'airflow'",
                "'airflow' == source && user.startsWith('svc_')",
                "user == 'service-7' || user.startsWith('svc_etl_')",
                "'team-1' in client_tags",
                "'x-team' in headers && headers['x-team'] == 'data'",
                "session['query_priority'] == '2'",
                "source in ['tableau', 'looker']",
                "source == 'airflow' || size(sql) > 1000",
                "!(source == 'airflow')",
                "headers.exists(name, name.startsWith('x-t'))");
        for (String condition : conditions) {
            CompiledRule rule = compiler.compile(RoutingRule.routeTo("rule", 1, condition, "g"));
            for (Map<String, String> query : QUERIES) {
                RuleFacts facts = facts(query);
                boolean matches = matches(rule, facts);
                if (matches) {
                    assertThat(rule.guard().test().test(facts(query))).as("guard of %s for %s", condition, query).isTrue();
                }
                if (rule.guard().decides()) {
                    assertThat(rule.guard().test().test(facts(query))).as("deciding guard of %s for %s", condition, query).isEqualTo(matches);
                }
            }
        }
    }

    @Test
    void guardsMadeOnlyOfPlainTestsDecideWithoutCel()
    {
        assertThat(decides("source == 'airflow'")).isTrue();
        assertThat(decides("'airflow' == source && user.startsWith('svc_')")).isTrue();
        assertThat(decides("user == 'service-7' || user.startsWith('svc_etl_')")).isTrue();
        assertThat(decides("'team-1' in client_tags && source in ['tableau', 'looker']")).isTrue();
        assertThat(decides("'x-team' in headers && headers['x-team'] == 'data'")).isTrue();
        assertThat(decides("session['query_priority'] == '2'")).isTrue();
        // a part without a plain test leaves the decision to CEL
        assertThat(decides("'team-1' in client_tags && now.getHours('UTC') > 3")).isFalse();
        assertThat(decides("source == 'airflow' || size(sql) > 1000")).isFalse();
        assertThat(decides("!(source == 'airflow')")).isFalse();
        assertThat(decides("size(user) > 3")).isFalse();
    }

    private boolean decides(String condition)
    {
        return compiler.compile(RoutingRule.routeTo("rule", 1, condition, "g")).guard().decides();
    }

    @Test
    void conditionsOfEqualityMembershipAndPrefixAreGuarded()
    {
        assertGuarded("source == 'airflow'", Map.of("X-Trino-Source", "superset"));
        assertGuarded("user == 'service-7' || user.startsWith('svc_etl_')", Map.of("X-Trino-User", "alice"));
        assertGuarded("'team-1' in client_tags && now.getHours('UTC') > 3", Map.of("X-Trino-Client-Tags", "team-2"));
        assertGuarded("'x-team' in headers && headers['x-team'] == 'data'", Map.of("X-Team", "ops"));
        assertGuarded("source in ['tableau', 'looker']", Map.of("X-Trino-Source", "cli"));
        // nothing to read a necessary test from: always evaluated
        Predicate<RuleFacts> unguarded = compiler.compile(RoutingRule.routeTo("rule", 1, "!(source == 'airflow')", "g")).guard().test();
        assertThat(unguarded.test(facts(Map.of("X-Trino-Source", "airflow")))).isTrue();
    }

    private void assertGuarded(String condition, Map<String, String> nonMatchingQuery)
    {
        CompiledRule rule = compiler.compile(RoutingRule.routeTo("rule", 1, condition, "g"));
        assertThat(matches(rule, facts(nonMatchingQuery))).isFalse();
        assertThat(rule.guard().test().test(facts(nonMatchingQuery))).as("guard of %s", condition).isFalse();
    }

    private static boolean matches(CompiledRule rule, RuleFacts facts)
    {
        List<CompiledRuleSet.RuleResult> trace = new ArrayList<>();
        new CompiledRuleSet(new RuleSet(List.of(rule.rule()), Map.of()), List.of(rule)).explain(facts, trace);
        return trace.getFirst().outcome() == CompiledRuleSet.Outcome.MATCHED;
    }

    private static RuleFacts facts(Map<String, String> headers)
    {
        return new RuleFacts(RuleInput.of(headers, "SELECT 1", "10.0.0.1", Instant.parse("2026-12-07T12:00:00Z")), SQL);
    }
}
