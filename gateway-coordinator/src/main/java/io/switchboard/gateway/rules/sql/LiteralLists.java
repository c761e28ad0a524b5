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

import io.switchboard.gateway.rules.sql.StatementCuts.Cut;
import io.trino.grammar.sql.SqlBaseLexer;
import org.antlr.v4.runtime.Token;

import java.util.List;

import static io.switchboard.gateway.rules.sql.StatementCuts.CLOSE;
import static io.switchboard.gateway.rules.sql.StatementCuts.COMMA;
import static io.switchboard.gateway.rules.sql.StatementCuts.OPEN;

/**
 * The long lists of literals of a statement ({@code IN (1, 2, ..., 640)}, rows of
 * {@code VALUES}), cut to their first element: no fact depends on them.
 */
final class LiteralLists
{
    // shorter lists are left as they are: the parser's cost for them does not pay a copy
    static final int MIN_COLLAPSED = 16;

    private LiteralLists() {}

    /**
     * Adds a cut for every parenthesized list of at least {@link #MIN_COLLAPSED} literals: all
     * but its first literal.
     */
    static void addCuts(List<Token> tokens, List<Cut> cuts)
    {
        // the list being read: its first literal, and how many literals so far
        Token first = null;
        int literals = 0;
        boolean expectLiteral = false;
        for (Token token : tokens) {
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
                cuts.add(new Cut(first.getStopIndex() + 1, token.getStartIndex(), ""));
                first = null;
            }
            else {
                first = null;
                expectLiteral = false;
            }
        }
    }

    private static boolean isLiteral(int type)
    {
        return type == SqlBaseLexer.INTEGER_VALUE
                || type == SqlBaseLexer.DECIMAL_VALUE
                || type == SqlBaseLexer.DOUBLE_VALUE
                || type == SqlBaseLexer.STRING
                || type == SqlBaseLexer.UNICODE_STRING;
    }
}
