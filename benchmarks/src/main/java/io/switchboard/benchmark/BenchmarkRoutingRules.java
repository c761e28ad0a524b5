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
package io.switchboard.benchmark;

import com.google.common.collect.ImmutableListMultimap;
import io.airlift.units.DataSize;
import io.switchboard.gateway.rules.CompiledRuleSet;
import io.switchboard.gateway.rules.RoutingDecision;
import io.switchboard.gateway.rules.RoutingRule;
import io.switchboard.gateway.rules.RuleCompiler;
import io.switchboard.gateway.rules.RuleFacts;
import io.switchboard.gateway.rules.RuleInput;
import io.switchboard.gateway.rules.RuleSet;
import io.switchboard.gateway.rules.sql.SqlFactsExtractor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.airlift.units.DataSize.Unit.MEGABYTE;
import static java.util.concurrent.TimeUnit.MICROSECONDS;

/**
 * Routing a new query by 100 rules, none of which reads the SQL (issue 23: p99 under 20 µs):
 * the facts of a realistic request, computed as the rules ask for them, and every rule evaluated
 * because the query matches only the last one. Sampled, so that JMH reports percentiles.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class BenchmarkRoutingRules
{
    /**
     * The condition of the last rule, the one that matches: one that CEL evaluates (the time and a
     * session property), or one that its guard decides alone (source and user, as in
     * {@code bin/benchmark --rules}).
     */
    private static final Map<String, String> MATCHING = Map.of(
            "cel", "now.getHours('Europe/Berlin') >= 9 && session['query_max_run_time'] == '2h'",
            "guard", "source == 'trino-jdbc' && user == 'alice'");

    @State(Scope.Benchmark)
    public static class Rules
    {
        @Param({"cel", "guard"})
        public String matching;

        private final SqlFactsExtractor sqlFacts = new SqlFactsExtractor(DataSize.of(8, MEGABYTE));
        private CompiledRuleSet rules;
        private final RuleInput request = new RuleInput(
                ImmutableListMultimap.<String, String>builder()
                        .put("x-trino-user", "alice")
                        .put("x-trino-source", "trino-jdbc")
                        .put("x-trino-client-tags", "nightly,team=growth")
                        .put("x-trino-catalog", "hive")
                        .put("x-trino-schema", "web")
                        .put("x-trino-session", "query_max_run_time=2h")
                        .put("user-agent", "trino-jdbc/476")
                        .put("accept-encoding", "gzip")
                        .build(),
                "SELECT * FROM hive.web.events WHERE day = current_date",
                "10.1.2.3",
                Instant.parse("2026-12-07T12:00:00Z"));

        @Setup
        public void compile()
        {
            List<RoutingRule> hundred = new ArrayList<>();
            for (int i = 0; i < 99; i++) {
                hundred.add(RoutingRule.routeTo("rule-" + i, i, nonMatchingCondition(i), "group-" + i));
            }
            hundred.add(RoutingRule.routeTo("matching", 1000, MATCHING.get(matching), "interactive"));
            rules = new RuleCompiler().compile(new RuleSet(hundred, Map.of()));
        }
    }

    /**
     * The condition of the {@code i}-th rule that neither this benchmark's request nor the
     * submits of {@link HttpBenchmark} match, over source, user, client tags and headers in turn.
     */
    static String nonMatchingCondition(int i)
    {
        return switch (i % 4) {
            case 0 -> "source == 'airflow-%s'".formatted(i);
            case 1 -> "user == 'service-%s' || user.startsWith('svc_%s_')".formatted(i, i);
            case 2 -> "'team-%s' in client_tags".formatted(i);
            default -> "'x-team' in headers && headers['x-team'] == 'team-%s'".formatted(i);
        };
    }

    @Benchmark
    public RoutingDecision hundredRules(Rules rules)
    {
        return rules.rules.route(new RuleFacts(rules.request, rules.sqlFacts));
    }

    public static void main(String[] args)
            throws RunnerException
    {
        new Runner(new OptionsBuilder()
                .include(BenchmarkRoutingRules.class.getSimpleName())
                .build())
                .run();
    }
}
