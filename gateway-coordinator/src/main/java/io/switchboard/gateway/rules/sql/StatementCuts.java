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

import io.trino.grammar.sql.SqlBaseLexer;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A long statement shortened for Trino's parser where no fact can change: long lists of literals
 * ({@link LiteralLists}) and the expressions of select lists ({@link SelectItems}). The parser
 * costs about half a microsecond per token, and generated report queries are mostly such tokens.
 * Tokens come from Trino's own lexer, read once for both, so that nothing inside a string, a
 * comment or a quoted name is ever taken for SQL.
 */
final class StatementCuts
{
    static final int OPEN = tokenType("'('");
    static final int CLOSE = tokenType("')'");
    static final int OPEN_BRACKET = tokenType("'['");
    static final int CLOSE_BRACKET = tokenType("']'");
    static final int COMMA = tokenType("','");

    /**
     * Text from {@code start} (inclusive) to {@code end} (exclusive) to be written as {@code replacement}.
     */
    record Cut(int start, int end, String replacement) {}

    private StatementCuts() {}

    /**
     * The statement with its cuts made; the statement itself when there is nothing to cut.
     */
    static String cut(String sql)
    {
        SqlBaseLexer lexer = new SqlBaseLexer(CharStreams.fromString(sql));
        lexer.removeErrorListeners();
        List<Token> tokens = new ArrayList<>();
        for (Token token = lexer.nextToken(); token.getType() != Token.EOF; token = lexer.nextToken()) {
            if (token.getChannel() == Token.DEFAULT_CHANNEL) {
                tokens.add(token);
            }
        }
        List<Cut> cuts = new ArrayList<>();
        LiteralLists.addCuts(tokens, cuts);
        SelectItems.addCuts(tokens, cuts);
        return apply(sql, cuts);
    }

    private static String apply(String sql, List<Cut> cuts)
    {
        if (cuts.isEmpty()) {
            return sql;
        }
        cuts.sort(Comparator.comparingInt(Cut::start));
        StringBuilder shortened = new StringBuilder(sql.length());
        int copied = 0;
        for (Cut cut : cuts) {
            // a cut inside one made already (a list of literals in a select item) is made with it
            if (cut.start() >= copied) {
                shortened.append(sql, copied, cut.start()).append(cut.replacement());
                copied = cut.end();
            }
        }
        return shortened.append(sql, copied, sql.length()).toString();
    }

    private static int tokenType(String literalName)
    {
        Vocabulary vocabulary = SqlBaseLexer.VOCABULARY;
        for (int type = 0; type <= vocabulary.getMaxTokenType(); type++) {
            if (literalName.equals(vocabulary.getLiteralName(type))) {
                return type;
            }
        }
        throw new IllegalStateException("Trino's lexer has no token " + literalName);
    }
}
