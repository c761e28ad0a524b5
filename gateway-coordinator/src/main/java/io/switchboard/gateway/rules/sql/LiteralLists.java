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

/**
 * Shortens the long lists of literals in a statement ({@code IN (1, 2, ..., 640)}, rows of
 * {@code VALUES}) to their first element before parsing: no fact depends on them, and Trino's
 * parser spends about half a microsecond on each of their tokens. Tokens come from Trino's own
 * lexer, so literals inside strings, comments and quoted names are never mistaken for a list.
 */
final class LiteralLists
{
    // shorter lists are left as they are: the parser's cost for them does not pay a copy
    static final int MIN_COLLAPSED = 16;

    private static final int OPEN = tokenType("'('");
    private static final int CLOSE = tokenType("')'");
    private static final int COMMA = tokenType("','");

    private LiteralLists() {}

    /**
     * The statement with every parenthesized list of at least {@link #MIN_COLLAPSED} literals
     * cut to its first literal; the statement itself when it has none.
     */
    static String collapse(String sql)
    {
        SqlBaseLexer lexer = new SqlBaseLexer(CharStreams.fromString(sql));
        lexer.removeErrorListeners();
        StringBuilder collapsed = null;
        int copied = 0;
        // the list being read: its first literal, and how many literals so far
        Token first = null;
        int literals = 0;
        boolean expectLiteral = false;
        for (Token token = lexer.nextToken(); token.getType() != Token.EOF; token = lexer.nextToken()) {
            if (token.getChannel() != Token.DEFAULT_CHANNEL) {
                continue;
            }
            int type = token.getType();
            if (type == OPEN) {
                first = null;
                literals = 0;
                expectLiteral = true;
            }
            else if (expectLiteral && isLiteral(type)) {
                first = first == null ? token : first;
                literals++;
                expectLiteral = false;
            }
            else if (type == COMMA && first != null && !expectLiteral) {
                expectLiteral = true;
            }
            else if (type == CLOSE && first != null && !expectLiteral && literals >= MIN_COLLAPSED) {
                collapsed = collapsed == null ? new StringBuilder(sql.length()) : collapsed;
                collapsed.append(sql, copied, first.getStopIndex() + 1);
                copied = token.getStartIndex();
                first = null;
            }
            else {
                first = null;
                expectLiteral = false;
            }
        }
        return collapsed == null ? sql : collapsed.append(sql, copied, sql.length()).toString();
    }

    private static boolean isLiteral(int type)
    {
        return type == SqlBaseLexer.INTEGER_VALUE
                || type == SqlBaseLexer.DECIMAL_VALUE
                || type == SqlBaseLexer.DOUBLE_VALUE
                || type == SqlBaseLexer.STRING
                || type == SqlBaseLexer.UNICODE_STRING;
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
