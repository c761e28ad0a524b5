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
package io.switchboard.gateway.rules.sql;

import io.airlift.units.DataSize;
import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.airlift.units.DataSize.Unit.KILOBYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestStatementCuts
{
    private static final String NUMBERS = "1, 2.5, -3, 4e2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16";
    private static final String STRINGS = "'a', 'b', 'c''d', U&'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q'";

    @Test
    void longListsOfLiteralsAreCutToTheirFirst()
    {
        assertThat(StatementCuts.cut("SELECT * FROM t WHERE k IN (" + STRINGS + ") AND v IN (" + STRINGS + ")"))
                .isEqualTo("SELECT * FROM t WHERE k IN ('a') AND v IN ('a')");
        assertThat(StatementCuts.cut("INSERT INTO t VALUES (" + STRINGS + "), (" + STRINGS + ")"))
                .isEqualTo("INSERT INTO t VALUES ('a'), ('a')");
        assertThat(StatementCuts.cut("select * from t where k in (\n" + STRINGS.replace(", ", " ,\n  ") + "\n)"))
                .isEqualTo("select * from t where k in (\n'a')");
    }

    @Test
    void everythingElseStaysAsWritten()
    {
        // fifteen literals, a list with a sign or an expression in it, literals inside a string, a comment and a quoted name
        String shortList = "SELECT * FROM t WHERE k IN ('b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p')";
        String notLiterals = "SELECT * FROM t WHERE k IN (" + NUMBERS + ", x) OR k IN (" + NUMBERS.replace("5, 6", "5 + 6") + ")";
        String hidden = "SELECT '(" + NUMBERS + ")', \"(" + NUMBERS + ")\" FROM t -- (" + NUMBERS + ")\n/* (" + NUMBERS + ") */";
        assertThat(StatementCuts.cut(shortList)).isSameAs(shortList);
        assertThat(StatementCuts.cut(notLiterals)).isSameAs(notLiterals);
        assertThat(StatementCuts.cut(hidden)).isSameAs(hidden);
        assertThat(StatementCuts.cut("SELECT (((")).isEqualTo("SELECT (((");
        assertThat(StatementCuts.cut("SELECT * FROM t WHERE k = 'unterminated (" + NUMBERS)).isEqualTo("SELECT * FROM t WHERE k = 'unterminated (" + NUMBERS);
    }

    @Test
    void selectItemsWithoutAQueryBecomeZero()
    {
        assertThat(StatementCuts.cut("SELECT a + b AS x, CASE WHEN c > 1 THEN 'y' ELSE 'z' END AS w, t.* FROM t WHERE a + b > 1"))
                .isEqualTo("SELECT 0, 0, t.* FROM t WHERE a + b > 1");
        assertThat(StatementCuts.cut("SELECT DISTINCT upper(name) AS n, id FROM (SELECT name, lower(id) AS id FROM u) s ORDER BY 1"))
                .isEqualTo("SELECT DISTINCT 0, id FROM (SELECT name, 0 FROM u) s ORDER BY 1");
        assertThat(StatementCuts.cut("SELECT ARRAY[1, 2, 3][2] AS a, map(ARRAY['k'], ARRAY[1]) AS m FROM t"))
                .isEqualTo("SELECT 0, 0 FROM t");
        assertThat(StatementCuts.cut("SELECT a * 2 AS a FROM t UNION ALL SELECT b * 2 AS b FROM u"))
                .isEqualTo("SELECT 0 FROM t UNION ALL SELECT 0 FROM u");
        // an item of fewer than four tokens is left as written
        assertThat(StatementCuts.cut("SELECT a, t.b, count(*) FROM t")).isEqualTo("SELECT a, t.b, 0 FROM t");
        // an item that holds a query stays, the select lists inside it are cut
        assertThat(StatementCuts.cut("SELECT (SELECT max(v) + 1 FROM u WHERE u.k = t.k) AS m, EXISTS (TABLE w) AS e, k FROM t"))
                .isEqualTo("SELECT (SELECT 0 FROM u WHERE u.k = t.k) AS m, EXISTS (TABLE w) AS e, k FROM t");
    }

    @Test
    void factsOfCutStatementsAreTheFactsOfTheStatementAsSent()
    {
        SqlFactsExtractor extractor = new SqlFactsExtractor(DataSize.of(64, KILOBYTE));
        List<String> statements = List.of(
                """
                WITH c AS (SELECT k, sum(v) * 2 AS s FROM a.b.sales GROUP BY k)
                SELECT c.k, c.s / (SELECT count(*) FROM a.b.customers) AS share, CASE WHEN c.s > 10 THEN 'hi' ELSE 'lo' END AS band
                FROM c JOIN dim d ON d.k = c.k WHERE c.k IN (SELECT k FROM a.b.active)""",
                "INSERT INTO x.y.out SELECT upper(n) || '-' || lower(m) AS nm FROM hive.web.src",
                "CREATE TABLE t2 AS SELECT a + b AS c FROM src WITH NO DATA",
                "SELECT x + y IS DISTINCT FROM z AS d, k FROM t",
                "SELECT listagg(v, ',') WITHIN GROUP (ORDER BY v) AS l FROM t",
                "SELECT upper(x) AS u FROM TABLE(system.query(query => 'SELECT 1'))",
                "SELECT a FROM t1, LATERAL (SELECT b * 2 AS c FROM t2 WHERE t2.k = t1.k)",
                "SELECT cast(x AS timestamp(3) with time zone) AS ts, y FROM t",
                "EXPLAIN SELECT abs(a - b) AS d FROM t",
                "SELECT EXISTS (SELECT k * 2 AS d FROM u WHERE u.k = t.k) AND a > 1 AS flag FROM t",
                "MERGE INTO target t USING (SELECT k, v * 2 AS v FROM src) s ON t.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v",
                "SELECT row_number() OVER (PARTITION BY a ORDER BY b) AS rn FROM t WINDOW w AS (PARTITION BY a)",
                "SELECT (VALUES 1) + a AS v, (TABLE u), upper(z) AS z FROM t",
                "SELECT a + 1 AS b FROM t WHERE x IS NOT DISTINCT FROM y LIMIT 10");
        Set<String> endedTooEarly = Set.of("SELECT x + y IS DISTINCT FROM z AS d, k FROM t", "SELECT listagg(v, ',') WITHIN GROUP (ORDER BY v) AS l FROM t");
        assertThat(statements).containsAll(endedTooEarly);
        SqlParser parser = new SqlParser();
        for (String statement : statements) {
            String cut = StatementCuts.cut(statement);
            assertThat(cut).as(statement).isNotEqualTo(statement);
            if (endedTooEarly.contains(statement)) {
                // ended too early: the cut does not parse, and the statement as sent is parsed
                assertThatThrownBy(() -> parser.createStatement(cut)).isInstanceOf(ParsingException.class);
            }
            else {
                assertThat(parser.createStatement(cut)).as(cut).isNotNull();
            }
            // a comment carries the statement over the length from which it is cut, and changes no fact
            String padded = statement + "\n-- " + "padding ".repeat(130);
            assertThat(padded.length()).isGreaterThan(1024);
            assertThat(extractor.extract(padded, Optional.of("hive"), Optional.of("web")))
                    .as(statement)
                    .isEqualTo(extractor.extract(statement, Optional.of("hive"), Optional.of("web")));
        }
    }

    @Test
    void factsOfLongStatementsWithListsAreTheFactsOfTheStatementAsSent()
    {
        SqlFactsExtractor extractor = new SqlFactsExtractor(DataSize.of(64, KILOBYTE));
        String values = "(" + NUMBERS + ")";
        String statement = """
                INSERT INTO hive.web.targets
                SELECT * FROM orders o JOIN (VALUES %1$s, %1$s) v(%2$s) ON o.k = v.c1
                WHERE o.k IN (%3$s) AND o.s IN (SELECT s FROM tpch.tiny.segments WHERE s IN (%4$s))
                """.formatted(values, "c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16", "7, ".repeat(300) + "8", STRINGS);
        assertThat(statement.length()).isGreaterThan(1024);
        SqlFacts facts = extractor.extract(statement, Optional.of("hive"), Optional.of("web"));
        assertThat(facts.statementType()).isEqualTo(StatementType.INSERT);
        assertThat(facts.tablesRead()).containsExactlyInAnyOrder("hive.web.orders", "tpch.tiny.segments");
        assertThat(facts.tablesWritten()).containsExactly("hive.web.targets");

        // a statement that does not parse is reported as sent, with the place of its error
        SqlFacts broken = extractor.extract(statement.replace("WHERE o.k IN", "WHERE o.k IN IN"), Optional.of("hive"), Optional.of("web"));
        assertThat(broken.statementType()).isEqualTo(StatementType.UNKNOWN);
        assertThat(broken.parseError()).hasValueSatisfying(error -> assertThat(error).startsWith("line 3:"));
    }
}
