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

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import static io.switchboard.gateway.rules.sql.StatementCuts.CLOSE;
import static io.switchboard.gateway.rules.sql.StatementCuts.CLOSE_BRACKET;
import static io.switchboard.gateway.rules.sql.StatementCuts.COMMA;
import static io.switchboard.gateway.rules.sql.StatementCuts.OPEN;
import static io.switchboard.gateway.rules.sql.StatementCuts.OPEN_BRACKET;

/**
 * The expressions of select lists, each written as {@code 0}: a table is read only through a
 * query, and an expression without {@code SELECT}, {@code TABLE} or {@code VALUES} holds none, so
 * no fact depends on it. An item ends at a comma or at the clause after the list
 * ({@code FROM}, {@code WHERE}, {@code GROUP}, ...), at its own depth of parentheses and
 * brackets. Where a keyword ends the list too early ({@code x IS DISTINCT FROM y}), the
 * statement does not parse once cut, and the statement as sent is parsed instead.
 */
final class SelectItems
{
    // below this, an item costs the parser less than the copy saves
    static final int MIN_CUT_TOKENS = 4;

    // a query in an expression is in parentheses and has one of these (WITH is followed by one of them)
    private static final Set<Integer> QUERY_TOKENS = Set.of(SqlBaseLexer.SELECT, SqlBaseLexer.TABLE, SqlBaseLexer.VALUES);
    private static final Set<Integer> LIST_ENDS = Set.of(SqlBaseLexer.FROM, SqlBaseLexer.WHERE, SqlBaseLexer.GROUP, SqlBaseLexer.HAVING,
            SqlBaseLexer.WINDOW, SqlBaseLexer.ORDER, SqlBaseLexer.OFFSET, SqlBaseLexer.LIMIT, SqlBaseLexer.FETCH, SqlBaseLexer.UNION,
            SqlBaseLexer.INTERSECT, SqlBaseLexer.EXCEPT);

    private SelectItems() {}

    // a select list being read: the depth of its SELECT, where its current item starts, and whether that item holds a query
    private static final class SelectList
    {
        private final int depth;
        private int itemStart;
        private boolean itemHasQuery;

        private SelectList(int depth, int itemStart)
        {
            this.depth = depth;
            this.itemStart = itemStart;
        }
    }

    /**
     * Adds a cut for every item of at least {@link #MIN_CUT_TOKENS} tokens of every select list
     * that holds no query.
     */
    static void addCuts(List<Token> tokens, List<Cut> cuts)
    {
        Deque<SelectList> lists = new ArrayDeque<>();
        int depth = 0;
        for (int index = 0; index < tokens.size(); index++) {
            int type = tokens.get(index).getType();
            if (type == CLOSE || type == CLOSE_BRACKET) {
                depth--;
            }
            SelectList list = lists.peek();
            if (list != null && (depth < list.depth || (depth == list.depth && (type == COMMA || LIST_ENDS.contains(type))))) {
                // a comma starts the next item; a clause, or the parenthesis around the query, ends the list
                endItem(tokens, list, index, cuts);
                if (type == COMMA) {
                    list.itemStart = index + 1;
                }
                else {
                    lists.pop();
                }
            }
            if (QUERY_TOKENS.contains(type)) {
                lists.forEach(open -> open.itemHasQuery = true);
            }
            if (type == SqlBaseLexer.SELECT) {
                boolean quantified = index + 1 < tokens.size() && (tokens.get(index + 1).getType() == SqlBaseLexer.DISTINCT || tokens.get(index + 1).getType() == SqlBaseLexer.ALL);
                lists.push(new SelectList(depth, quantified ? index + 2 : index + 1));
            }
            if (type == OPEN || type == OPEN_BRACKET) {
                depth++;
            }
        }
        while (!lists.isEmpty()) {
            endItem(tokens, lists.pop(), tokens.size(), cuts);
        }
    }

    private static void endItem(List<Token> tokens, SelectList list, int end, List<Cut> cuts)
    {
        if (!list.itemHasQuery && end - list.itemStart >= MIN_CUT_TOKENS) {
            cuts.add(new Cut(tokens.get(list.itemStart).getStartIndex(), tokens.get(end - 1).getStopIndex() + 1, "0"));
        }
        list.itemHasQuery = false;
    }
}
