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

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

final class TestQueryIdScanner
{
    private static final String RESPONSE = "{\"id\":\"20260101_000000_00001_abcde\",\"infoUri\":\"http://gw/ui/query.html?20260101_000000_00001_abcde\",\"stats\":{}}";

    @Test
    void findsTheIdInOneChunkWithoutConsumingIt()
    {
        QueryIdScanner scanner = new QueryIdScanner();
        ByteBuffer chunk = ByteBuffer.wrap(RESPONSE.getBytes(UTF_8));
        scanner.scan(chunk);
        assertThat(scanner.queryId()).contains("20260101_000000_00001_abcde");
        assertThat(chunk.remaining()).isEqualTo(RESPONSE.length());
    }

    @Test
    void findsTheIdSplitAcrossChunksAtEveryPosition()
    {
        byte[] bytes = "{ \"id\" : \"20260101_000000_00001_abcde\" }".getBytes(UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            QueryIdScanner scanner = new QueryIdScanner();
            scanner.scan(ByteBuffer.wrap(bytes, 0, split));
            scanner.scan(ByteBuffer.wrap(bytes, split, bytes.length - split));
            assertThat(scanner.queryId()).as("split at %s", split).contains("20260101_000000_00001_abcde");
        }
    }

    @Test
    void findsAnIdThatComesAfterKilobytesOfOtherFields()
    {
        String padding = "{\"warnings\":[\"" + "w".repeat(3000) + "\"],";
        byte[] bytes = (padding + RESPONSE.substring(1)).getBytes(UTF_8);
        QueryIdScanner scanner = new QueryIdScanner();
        for (int offset = 0; offset < bytes.length; offset += 100) {
            scanner.scan(ByteBuffer.wrap(bytes, offset, Math.min(100, bytes.length - offset)));
        }
        assertThat(scanner.queryId()).contains("20260101_000000_00001_abcde");
    }

    @Test
    void rejectsWhatIsNotAQueryId()
    {
        QueryIdScanner scanner = new QueryIdScanner();
        scanner.scan(ByteBuffer.wrap("{\"id\":\"../../x\"}".getBytes(UTF_8)));
        assertThat(scanner.queryId()).isEmpty();

        QueryIdScanner binary = new QueryIdScanner();
        binary.scan(ByteBuffer.wrap(new byte[20_000]));
        assertThat(binary.queryId()).isEmpty();
    }
}
