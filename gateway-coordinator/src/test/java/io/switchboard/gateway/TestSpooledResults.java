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
package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TestingObjectStore;
import io.switchboard.testing.TrinoCli;
import io.switchboard.testing.TrinoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.switchboard.gateway.TestingGateway.json;
import static io.switchboard.gateway.TrinoJdbc.checksum;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static io.switchboard.testing.MemberClusters.memberCluster;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Trino's spooling protocol through the gateway: two real Trino 476 clusters spool result
 * segments to an S3-compatible store (S3Proxy) with Trino's own file system spooling manager,
 * and hand them out through the coordinator, the way an operator sets spooling up in production.
 */
@TestInstance(PER_CLASS)
final class TestSpooledResults
{
    // about 2 million rows, 16 columns: well over 200 MB as the client decodes it
    private static final String LARGE_QUERY = "SELECT * FROM tpch.sf1.lineitem WHERE orderkey % 3 = 0";
    private static final String SEGMENTED_QUERY = "SELECT * FROM tpch.tiny.lineitem";

    private TestingMysql mysql;
    private TestingObjectStore objectStore;
    private TrinoServer adhoc1;
    private TrinoServer adhoc2;
    private TestingGateway gateway;

    @BeforeAll
    void start()
    {
        mysql = TestingMysql.start();
        objectStore = TestingObjectStore.start("spooling");
        CompletableFuture<TrinoServer> first = CompletableFuture.supplyAsync(() -> memberCluster("adhoc-1", mysql).withSpooling(objectStore).withHeapSize("1536M").start());
        CompletableFuture<TrinoServer> second = CompletableFuture.supplyAsync(() -> memberCluster("adhoc-2", mysql).withSpooling(objectStore).withHeapSize("1536M").start());
        adhoc1 = first.join();
        adhoc2 = second.join();
        gateway = new TestingGateway(mysql, Map.of());
        gateway.addCluster(adhoc1, "adhoc");
        gateway.addCluster(adhoc2, "adhoc");
    }

    @AfterAll
    void stop()
    {
        closeAll(gateway, adhoc2, adhoc1, objectStore, mysql);
    }

    @Test
    void largeSpooledResultIsIdenticalThroughTheGatewayAndDirectly()
            throws Exception
    {
        TrinoJdbc.Checksum direct = checksum(adhoc1.jdbcUrl(), LARGE_QUERY);
        TrinoJdbc.Checksum throughGateway = checksum(gateway.jdbcUrl(), LARGE_QUERY);
        assertThat(direct.characters()).isGreaterThan(200_000_000);
        assertThat(throughGateway).isEqualTo(direct);
        assertThat(spooledDownloads(adhoc1) + spooledDownloads(adhoc2)).isGreaterThan(10);
        // every segment was acknowledged and removed from the store
        assertEventually(Duration.ofSeconds(30), () -> assertThat(objectStore.objectCount("adhoc-1") + objectStore.objectCount("adhoc-2")).isZero());
    }

    @Test
    void segmentsAreDownloadedAndAcknowledgedThroughTheGatewayFromTheClusterThatWroteThem()
            throws Exception
    {
        List<CompletableFuture<SpooledQuery>> queries = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            queries.add(CompletableFuture.supplyAsync(() -> readSpooled(gateway.baseUri(), SEGMENTED_QUERY)));
        }
        List<SpooledQuery> results = new ArrayList<>();
        for (CompletableFuture<SpooledQuery> query : queries) {
            results.add(query.get(2, TimeUnit.MINUTES));
        }
        SpooledQuery direct = readSpooled(adhoc2.baseUri(), SEGMENTED_QUERY);
        assertThat(direct.segmentUris()).allMatch(uri -> uri.startsWith(adhoc2.baseUri() + "/v1/spooled/download/"));

        Map<String, TrinoServer> clusters = Map.of("adhoc-1", adhoc1, "adhoc-2", adhoc2);
        for (SpooledQuery result : results) {
            assertThat(result.rows()).isEqualTo(direct.rows()).isEqualTo(60_175);
            assertThat(result.segmentUris()).isNotEmpty();
            String cluster = clusterOfSegments(result.segmentUris());
            // the cluster named in the segment URIs is the one that ran the query
            assertThat(TrinoHttp.get(clusters.get(cluster).baseUri().resolve("/v1/query/" + result.queryId()), "spooling-user").statusCode()).isEqualTo(200);
        }
        assertThat(results).extracting(result -> clusterOfSegments(result.segmentUris())).contains("adhoc-1", "adhoc-2");
        assertEventually(Duration.ofSeconds(30), () -> assertThat(objectStore.objectCount("adhoc-1") + objectStore.objectCount("adhoc-2")).isZero());
    }

    @Test
    void trinoCliReadsSpooledResultsThroughTheGateway()
            throws Exception
    {
        long downloadsBefore = spooledDownloads(adhoc1) + spooledDownloads(adhoc2);
        String throughGateway = TrinoCli.execute(gateway.baseUri(), "spooling-user", List.of(), SEGMENTED_QUERY + " ORDER BY orderkey, linenumber");
        // the CLI asked for the spooled protocol and fetched segments through the gateway
        assertEventually(Duration.ofSeconds(10), () -> assertThat(spooledDownloads(adhoc1) + spooledDownloads(adhoc2)).isGreaterThan(downloadsBefore));
        String direct = TrinoCli.execute(adhoc1.baseUri(), "spooling-user", List.of(), SEGMENTED_QUERY + " ORDER BY orderkey, linenumber");
        assertThat(throughGateway.lines().count()).isEqualTo(60_175);
        assertThat(throughGateway).isEqualTo(direct);
    }

    private record SpooledQuery(String queryId, long rows, List<String> segmentUris) {}

    private String clusterOfSegments(List<String> segmentUris)
    {
        String prefix = gateway.baseUri() + "/cluster/";
        assertThat(segmentUris).allMatch(uri -> uri.startsWith(prefix));
        List<String> clusters = segmentUris.stream().map(uri -> uri.substring(prefix.length(), uri.indexOf("/v1/spooled/download/"))).distinct().toList();
        assertThat(clusters).hasSize(1);
        return clusters.getFirst();
    }

    /**
     * Reads a query's result as a spooling client does, with the JSON encoding: inline segments
     * carry their rows, spooled ones are downloaded from their URI and then acknowledged.
     */
    private static SpooledQuery readSpooled(URI server, String sql)
    {
        HttpRequest.Builder submit = HttpRequest.newBuilder(server.resolve("/v1/statement"))
                .header("X-Trino-User", "spooling-user")
                .header("X-Trino-Query-Data-Encoding", "json")
                .POST(HttpRequest.BodyPublishers.ofString(sql, UTF_8));
        JsonNode results = TrinoHttp.body(TrinoHttp.send(submit));
        String queryId = results.get("id").asText();
        long rows = 0;
        List<String> segmentUris = new ArrayList<>();
        while (true) {
            JsonNode data = results.path("data");
            for (JsonNode segment : data.path("segments")) {
                if (segment.get("type").asText().equals("inline")) {
                    rows += json(new String(Base64.getDecoder().decode(segment.get("data").asText()), UTF_8)).size();
                    continue;
                }
                String uri = segment.get("uri").asText();
                segmentUris.add(uri);
                HttpRequest.Builder download = HttpRequest.newBuilder(URI.create(uri)).header("X-Trino-User", "spooling-user");
                segment.path("headers").properties().forEach(header -> header.getValue().forEach(value -> download.header(header.getKey(), value.asText())));
                HttpResponse<String> downloaded = TrinoHttp.send(download);
                assertThat(downloaded.statusCode()).as("download of %s", uri).isEqualTo(200);
                rows += json(downloaded.body()).size();
                HttpResponse<String> acknowledged = TrinoHttp.get(URI.create(segment.get("ackUri").asText()), "spooling-user");
                assertThat(acknowledged.statusCode()).as("acknowledgement of %s", uri).isIn(200, 204);
            }
            if (!results.hasNonNull("nextUri")) {
                break;
            }
            results = TrinoHttp.body(TrinoHttp.get(URI.create(results.get("nextUri").asText()), "spooling-user"));
        }
        assertThat(results.path("stats").path("state").asText()).isEqualTo("FINISHED");
        return new SpooledQuery(queryId, rows, segmentUris);
    }

    private static long spooledDownloads(TrinoServer trino)
    {
        return trino.httpRequestLog().lines().filter(line -> line.contains("/v1/spooled/download/")).count();
    }
}
