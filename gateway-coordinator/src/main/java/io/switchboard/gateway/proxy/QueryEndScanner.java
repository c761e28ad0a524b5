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
import java.util.Optional;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * Tells from the first bytes of a Trino statement response whether it is the query's last
 * page: Trino writes {@code id}, {@code infoUri}, {@code partialCancelUri} and {@code nextUri}
 * before {@code columns}, {@code data}, {@code stats} and {@code error}, and the last page has no
 * {@code nextUri}. The values before those keys are ids and URIs, which hold no quote, so the
 * first of the keys found decides. Looks at the first few kilobytes only, without copying them.
 */
final class QueryEndScanner
{
    private static final int LIMIT = 8192;
    private static final byte[] NEXT_URI = "\"nextUri\"".getBytes(US_ASCII);
    private static final byte[][] LATER_KEYS = {
            "\"columns\"".getBytes(US_ASCII),
            "\"data\"".getBytes(US_ASCII),
            "\"stats\"".getBytes(US_ASCII),
            "\"error\"".getBytes(US_ASCII)};

    // the bytes of a key cut between two chunks
    private final byte[] carry = new byte[16];
    private int carried;
    private int scanned;
    private Optional<Boolean> last = Optional.empty();

    void scan(ByteBuffer chunk)
    {
        if (last.isPresent() || scanned >= LIMIT) {
            return;
        }
        int count = Math.min(chunk.remaining(), LIMIT - scanned);
        byte[] window = new byte[carried + count];
        System.arraycopy(carry, 0, window, 0, carried);
        chunk.duplicate().get(window, carried, count);
        scanned += count;
        for (int start = 0; start < window.length && last.isEmpty(); start++) {
            if (window[start] != '"') {
                continue;
            }
            if (matches(window, start, NEXT_URI)) {
                last = Optional.of(false);
            }
            for (byte[] key : LATER_KEYS) {
                if (last.isEmpty() && matches(window, start, key)) {
                    last = Optional.of(true);
                }
            }
        }
        carried = Math.min(carry.length - 1, window.length);
        System.arraycopy(window, window.length - carried, carry, 0, carried);
    }

    /**
     * Whether the response is the query's last page; empty while not known.
     */
    Optional<Boolean> isLastPage()
    {
        return last;
    }

    private static boolean matches(byte[] window, int start, byte[] key)
    {
        if (start + key.length > window.length) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (window[start + i] != key[i]) {
                return false;
            }
        }
        return true;
    }
}
