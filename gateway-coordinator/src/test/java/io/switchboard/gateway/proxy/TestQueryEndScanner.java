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

final class TestQueryEndScanner
{
    private static final String NEXT_PAGE = """
            {"id":"20260101_000000_00001_abcde","infoUri":"http://gw/ui/query.html?20260101_000000_00001_abcde",\
            "partialCancelUri":"http://gw/cluster/a/v1/statement/executing/partialCancel/20260101_000000_00001_abcde/0/y1/2",\
            "nextUri":"http://gw/cluster/a/v1/statement/executing/20260101_000000_00001_abcde/y1/2","columns":[{"name":"nextUri"}],\
            "data":[["\\"stats\\""]],"stats":{"state":"RUNNING"}}""";
    private static final String LAST_PAGE = """
            {"id":"20260101_000000_00001_abcde","infoUri":"http://gw/ui/query.html?20260101_000000_00001_abcde",\
            "columns":[{"name":"nextUri"}],"data":[["nextUri"]],"stats":{"state":"FINISHED"}}""";
    private static final String FAILED = """
            {"id":"20260101_000000_00001_abcde","infoUri":"http://gw/ui/query.html?20260101_000000_00001_abcde",\
            "stats":{"state":"FAILED"},"error":{"message":"line 1:1: mismatched input"}}""";

    @Test
    void theFirstKeyAfterTheUrisDecides()
    {
        assertThat(scan(NEXT_PAGE)).isFalse();
        assertThat(scan(LAST_PAGE)).isTrue();
        assertThat(scan(FAILED)).isTrue();
    }

    @Test
    void keysSplitAcrossChunksAtEveryPosition()
    {
        for (String response : new String[] {NEXT_PAGE, LAST_PAGE}) {
            byte[] bytes = response.getBytes(UTF_8);
            for (int split = 1; split < bytes.length; split++) {
                QueryEndScanner scanner = new QueryEndScanner();
                ByteBuffer first = ByteBuffer.wrap(bytes, 0, split);
                scanner.scan(first);
                scanner.scan(ByteBuffer.wrap(bytes, split, bytes.length - split));
                assertThat(first.remaining()).isEqualTo(split);
                assertThat(scanner.isLastPage()).as("split at %s", split).contains(response.equals(LAST_PAGE));
            }
        }
    }

    @Test
    void undecidedWithoutTheKeys()
    {
        QueryEndScanner scanner = new QueryEndScanner();
        scanner.scan(ByteBuffer.wrap("{\"id\":\"20260101_000000_00001_abcde\",\"infoUri\":\"http://gw/".getBytes(UTF_8)));
        assertThat(scanner.isLastPage()).isEmpty();
    }

    private static boolean scan(String response)
    {
        QueryEndScanner scanner = new QueryEndScanner();
        scanner.scan(ByteBuffer.wrap(response.getBytes(UTF_8)));
        return scanner.isLastPage().orElseThrow();
    }
}
