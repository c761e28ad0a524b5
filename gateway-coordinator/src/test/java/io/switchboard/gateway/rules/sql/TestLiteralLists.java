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
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.airlift.units.DataSize.Unit.KILOBYTE;
import static org.assertj.core.api.Assertions.assertThat;

final class TestLiteralLists
{
    private static final String NUMBERS = "1, 2.5, -3, 4e2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16";
    private static final String STRINGS = "'a', 'b', 'c''d', U&'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q'";

    @Test
    void longListsOfLiteralsAreCutToTheirFirst()
    {
        assertThat(LiteralLists.collapse("SELECT * FROM t WHERE k IN (" + STRINGS + ") AND v IN (" + STRINGS + ")"))
                .isEqualTo("SELECT * FROM t WHERE k IN ('a') AND v IN ('a')");
        assertThat(LiteralLists.collapse("INSERT INTO t VALUES (" + STRINGS + "), (" + STRINGS + ")"))
                .isEqualTo("INSERT INTO t VALUES ('a'), ('a')");
        assertThat(LiteralLists.collapse("select * from t where k in (\n" + STRINGS.replace(", ", " ,\n  ") + "\n)"))
                .isEqualTo("select * from t where k in (\n'a')");
    }

    @Test
    void everythingElseStaysAsWritten()
    {
        // fifteen literals, a list with a sign or an expression in it, literals inside a string, a comment and a quoted name
        String shortList = "SELECT * FROM t WHERE k IN ('b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p')";
        String notLiterals = "SELECT * FROM t WHERE k IN (" + NUMBERS + ", x) OR k IN (" + NUMBERS.replace("5, 6", "5 + 6") + ")";
        String hidden = "SELECT '(" + NUMBERS + ")', \"(" + NUMBERS + ")\" FROM t -- (" + NUMBERS + ")\n/* (" + NUMBERS + ") */";
        assertThat(LiteralLists.collapse(shortList)).isSameAs(shortList);
        assertThat(LiteralLists.collapse(notLiterals)).isSameAs(notLiterals);
        assertThat(LiteralLists.collapse(hidden)).isSameAs(hidden);
        assertThat(LiteralLists.collapse("SELECT (((")).isEqualTo("SELECT (((");
        assertThat(LiteralLists.collapse("SELECT 'unterminated (" + NUMBERS)).isEqualTo("SELECT 'unterminated (" + NUMBERS);
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
