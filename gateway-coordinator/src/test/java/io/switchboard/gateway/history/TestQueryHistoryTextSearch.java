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
package io.switchboard.gateway.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.testing.TestingMysql;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.gateway.TestingGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search of the history by text without {@code from} looks back {@code history.text-search-window}
 * before {@code to} (or now): it reads the SQL of every query it passes.
 */
final class TestQueryHistoryTextSearch
{
    @Test
    void textSearchLooksBackTheWindowUnlessGivenAStart()
    {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (TestingMysql mysql = TestingMysql.start();
                TestingGateway gateway = new TestingGateway(mysql, Map.of("history.text-search-window", "2d"))) {
            mysql.execute("INSERT INTO queries (query_id, cluster_name, user_name, state, created_at, query_text) VALUES " +
                    "('recent', 'adhoc-1', 'alice', 'FINISHED', '%s', 'SELECT * FROM marker_table'), ".formatted(datetime(now.minus(Duration.ofHours(1)))) +
                    "('old', 'adhoc-1', 'alice', 'FINISHED', '%s', 'SELECT * FROM marker_table')".formatted(datetime(now.minus(Duration.ofDays(3)))));

            assertThat(ids(gateway, "text=marker_table")).containsExactly("recent");
            assertThat(ids(gateway, "text=marker_table&from=" + now.minus(Duration.ofDays(7)))).containsExactly("recent", "old");
            assertThat(ids(gateway, "text=marker_table&to=" + now.minus(Duration.ofDays(2)))).containsExactly("old");
            // other filters are not bounded
            assertThat(ids(gateway, "user=alice")).containsExactly("recent", "old");
        }
    }

    private static String datetime(Instant instant)
    {
        return instant.toString().replace('T', ' ').replace("Z", "");
    }

    private static List<String> ids(TestingGateway gateway, String query)
    {
        HttpResponse<String> response = gateway.send("GET", "/api/v1/queries?" + query, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode summary : json(response.body()).get("queries")) {
            ids.add(summary.get("queryId").asText());
        }
        return ids;
    }
}
