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

/**
 * How deep the parentheses of SQL text nest, outside string literals, quoted identifiers and
 * comments; a scan of the characters, far cheaper than parsing.
 */
final class ParenthesesDepth
{
    private ParenthesesDepth() {}

    static boolean exceeds(String sql, int maxDepth)
    {
        int depth = 0;
        int length = sql.length();
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            switch (c) {
                case '(' -> {
                    depth++;
                    if (depth > maxDepth) {
                        return true;
                    }
                    i++;
                }
                case ')' -> {
                    depth--;
                    i++;
                }
                case '\'', '"' -> i = closingQuote(sql, i + 1, c);
                case '-' -> i = startsWith(sql, i, "--") ? lineEnd(sql, i) : i + 1;
                case '/' -> i = startsWith(sql, i, "/*") ? commentEnd(sql, i + 2) : i + 1;
                default -> i++;
            }
        }
        return false;
    }

    /**
     * The index after the closing quote; a doubled quote is a quote inside.
     */
    private static int closingQuote(String sql, int from, char quote)
    {
        int end = sql.indexOf(quote, from);
        while (end >= 0 && end + 1 < sql.length() && sql.charAt(end + 1) == quote) {
            end = sql.indexOf(quote, end + 2);
        }
        return end < 0 ? sql.length() : end + 1;
    }

    private static int lineEnd(String sql, int from)
    {
        int end = sql.indexOf('\n', from);
        return end < 0 ? sql.length() : end + 1;
    }

    private static int commentEnd(String sql, int from)
    {
        int end = sql.indexOf("*/", from);
        return end < 0 ? sql.length() : end + 2;
    }

    private static boolean startsWith(String sql, int index, String prefix)
    {
        return sql.startsWith(prefix, index);
    }
}
