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
package io.switchboard.store;

import java.util.Optional;

/**
 * Fits text from clients and clusters into its VARCHAR column: MySQL in strict mode refuses a
 * longer value, and a batch holding one such value would never be written.
 */
public final class Columns
{
    private Columns() {}

    public static String cut(String value, int length)
    {
        return value.length() <= length ? value : value.substring(0, length);
    }

    public static String cut(Optional<String> value, int length)
    {
        return value.map(text -> cut(text, length)).orElse(null);
    }

    /**
     * Cuts a message for people, marking that it was cut.
     */
    public static String abbreviate(String value, int length)
    {
        return value.length() <= length ? value : value.substring(0, length - 3) + "...";
    }
}
