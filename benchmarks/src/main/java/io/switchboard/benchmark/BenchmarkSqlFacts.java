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

import io.airlift.units.DataSize;
import io.switchboard.gateway.rules.sql.SqlFacts;
import io.switchboard.gateway.rules.sql.SqlFactsExtractor;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.Statement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.airlift.units.DataSize.Unit.MEGABYTE;
import static java.util.concurrent.TimeUnit.MICROSECONDS;

/**
 * The SQL facts of a new query (issue 23: under 1 ms for a 10 KB statement): parsing with
 * Trino's parser and walking the syntax tree, for a realistic 10 KB report query and a small one.
 * Sampled, so that JMH reports percentiles. Run with its main method on the test class path.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class BenchmarkSqlFacts
{
    @State(Scope.Benchmark)
    public static class Statements
    {
        private final SqlFactsExtractor extractor = new SqlFactsExtractor(DataSize.of(8, MEGABYTE));
        private final Optional<String> catalog = Optional.of("hive");
        private final Optional<String> schema = Optional.of("sales");
        private final String small = "SELECT orderkey, totalprice FROM orders WHERE orderdate >= DATE '2026-01-01' LIMIT 100";
        private final SqlParser parser = new SqlParser();
        private final String large = reportQuery(75, 640);
        private final String largeWithoutLists = reportQuery(150, 0);
        private long runs;

        /**
         * A report over {@code metrics} columns for {@code customers} listed customers (none: all).
         */
        static String reportQuery(int metrics, int customers)
        {
            String columns = IntStream.range(0, metrics)
                    .mapToObj(i -> "coalesce(o.metric_%1$s, 0) * fx.rate AS metric_%1$s_usd".formatted(i))
                    .collect(Collectors.joining(",\n    "));
            String customerIds = customers == 0 ? "c.custkey" : IntStream.range(0, customers)
                    .mapToObj(i -> Integer.toString(100_000 + i * 37))
                    .collect(Collectors.joining(", "));
            return """
                    WITH recent_orders AS (
                        SELECT o.*, row_number() OVER (PARTITION BY o.custkey ORDER BY o.orderdate DESC) AS rn
                        FROM hive.sales.orders o
                        WHERE o.orderdate >= current_date - INTERVAL '90' DAY
                    ),
                    returns AS (
                        SELECT r.orderkey, sum(r.amount) AS returned
                        FROM iceberg.finance.returns r
                        JOIN iceberg.finance.return_reasons rr ON r.reason_id = rr.id AND rr.counts_as_return
                        GROUP BY r.orderkey
                    ),
                    fx AS (SELECT currency, rate FROM reference.fx_rates WHERE day = current_date)
                    SELECT
                        c.custkey,
                        c.name,
                        n.name AS nation,
                        %s,
                        coalesce(ret.returned, 0) AS returned
                    FROM recent_orders o
                    JOIN customer c ON c.custkey = o.custkey
                    JOIN tpch.tiny.nation n ON n.nationkey = c.nationkey
                    LEFT JOIN returns ret ON ret.orderkey = o.orderkey
                    JOIN fx ON fx.currency = o.currency
                    WHERE o.rn <= 10
                      AND c.custkey IN (%s)
                      AND c.segment IN (SELECT segment FROM marketing.segments WHERE active)
                    ORDER BY returned DESC, c.custkey
                    LIMIT 1000
                    """.formatted(columns, customerIds);
        }
    }

    @Benchmark
    public SqlFacts largeStatement(Statements statements)
    {
        return statements.extractor.extract(statements.large, statements.catalog, statements.schema);
    }

    /**
     * A 10 KB statement the gateway has not seen: long statements are cached by their text, so
     * {@link #largeStatement} measures the cache and this the parser.
     */
    @Benchmark
    public SqlFacts largeStatementFirstSeen(Statements statements)
    {
        return statements.extractor.extract(statements.large + "\n-- run " + statements.runs++, statements.catalog, statements.schema);
    }

    /**
     * What the first-seen large statement costs Trino's parser alone, as sent: its long list of
     * literals is not shortened.
     */
    @Benchmark
    public Statement largeStatementFirstSeenTrinoParserAlone(Statements statements)
    {
        return statements.parser.createStatement(statements.large + "\n-- run " + statements.runs++);
    }

    /**
     * A 10 KB statement whose length is all expressions: nothing to shorten.
     */
    @Benchmark
    public SqlFacts largeStatementWithoutListsFirstSeen(Statements statements)
    {
        return statements.extractor.extract(statements.largeWithoutLists + "\n-- run " + statements.runs++, statements.catalog, statements.schema);
    }

    @Benchmark
    public SqlFacts smallStatement(Statements statements)
    {
        return statements.extractor.extract(statements.small, statements.catalog, statements.schema);
    }

    public static void main(String[] args)
            throws RunnerException
    {
        System.out.printf("large statements: %s and %s bytes%n", Statements.reportQuery(75, 640).length(), Statements.reportQuery(150, 0).length());
        new Runner(new OptionsBuilder()
                .include(BenchmarkSqlFacts.class.getSimpleName())
                .build())
                .run();
    }
}
