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
package io.switchboard.gateway.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds the query id at the start of a Trino statement response ({@code {"id":"...",...}})
 * as its bytes stream past, without decoding the JSON. Looks at the first few kilobytes only.
 */
final class QueryIdScanner
{
    private static final int LIMIT = 8192;
    private static final byte[] KEY = "\"id\"".getBytes(StandardCharsets.US_ASCII);

    // the id comes first in Trino's response: start small, grow only if it does not
    private byte[] buffer = new byte[256];
    private int length;
    private boolean done;
    private Optional<String> queryId = Optional.empty();

    /**
     * Reads the bytes of {@code chunk} without changing its position.
     */
    void scan(ByteBuffer chunk)
    {
        if (done) {
            return;
        }
        ByteBuffer view = chunk.duplicate();
        int count = Math.min(view.remaining(), LIMIT - length);
        if (length + count > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(LIMIT, Math.max(buffer.length * 2, length + count)));
        }
        view.get(buffer, length, count);
        length += count;
        queryId = find();
        done = queryId.isPresent() || length == LIMIT;
    }

    Optional<String> queryId()
    {
        return queryId;
    }

    private Optional<String> find()
    {
        for (int start = 0; start + KEY.length <= length; start++) {
            if (matchesKey(start)) {
                return valueAfter(start + KEY.length);
            }
        }
        return Optional.empty();
    }

    private boolean matchesKey(int start)
    {
        for (int i = 0; i < KEY.length; i++) {
            if (buffer[start + i] != KEY[i]) {
                return false;
            }
        }
        return true;
    }

    private Optional<String> valueAfter(int position)
    {
        int index = skipWhitespace(position);
        if (index >= length || buffer[index] != ':') {
            return Optional.empty();
        }
        index = skipWhitespace(index + 1);
        if (index >= length || buffer[index] != '"') {
            return Optional.empty();
        }
        int start = index + 1;
        for (int end = start; end < length; end++) {
            if (buffer[end] == '"') {
                String value = new String(buffer, start, end - start, StandardCharsets.US_ASCII);
                return TrinoPath.isQueryId(value) ? Optional.of(value) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private int skipWhitespace(int index)
    {
        while (index < length && (buffer[index] == ' ' || buffer[index] == '\n' || buffer[index] == '\r' || buffer[index] == '\t')) {
            index++;
        }
        return index;
    }
}
