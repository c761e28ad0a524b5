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
package io.switchboard.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * What a query waiting in the gateway's admission queue costs its heap (issue 24: at most 10 KB).
 * The gateway runs with admission control and a capacity of one query on the stub cluster: one
 * query takes the slot and is never polled again, so every later submit waits in the queue. The
 * live heap (after a full collection in the gateway) is read before and after {@code --queries}
 * submits, and again once every queued query has been cancelled by its {@code nextUri}.
 * <p>
 * Arguments: {@code --gateway http://127.0.0.1:port --gateway-pid pid --queries 10000 --output file}.
 */
public final class QueueBenchmark
{
    // what a BI tool sends: a statement of a few hundred bytes and the headers of trino-jdbc
    private static final String STATEMENT = """
            SELECT o.orderdate, c.mktsegment, sum(o.totalprice) AS revenue, count(*) AS orders
            FROM hive.sales.orders o JOIN hive.sales.customer c ON o.custkey = c.custkey
            WHERE o.orderdate BETWEEN DATE '2026-01-01' AND DATE '2026-06-30' AND c.nationkey = %d
            GROUP BY 1, 2 ORDER BY 1, 2
            """;
    private static final int USERS = 100;
    private static final int IN_FLIGHT = 32;

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();
    private final URI gateway;

    private QueueBenchmark(URI gateway)
    {
        this.gateway = gateway;
    }

    public static void main(String[] args)
            throws Exception
    {
        URI gateway = null;
        long gatewayPid = 0;
        int queries = 10_000;
        Path output = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--gateway" -> gateway = URI.create(args[i + 1]);
                case "--gateway-pid" -> gatewayPid = Long.parseLong(args[i + 1]);
                case "--queries" -> queries = Integer.parseInt(args[i + 1]);
                case "--output" -> output = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("Unknown argument: " + args[i]);
            }
        }
        if (gateway == null || gatewayPid == 0 || output == null) {
            throw new IllegalArgumentException("--gateway, --gateway-pid and --output are required");
        }
        QueueBenchmark benchmark = new QueueBenchmark(gateway);
        try (GatewayJvm jvm = GatewayJvm.attach(gatewayPid)) {
            String report = benchmark.run(jvm, queries);
            System.out.print(report);
            Files.writeString(output, report);
        }
    }

    private String run(GatewayJvm jvm, int queries)
            throws Exception
    {
        JsonNode running = submit(0);
        if (!running.path("nextUri").asText().contains("/cluster/stub/")) {
            throw new IllegalStateException("The first query should take the only slot on the stub: " + running);
        }
        // a first round warms up the code and the collections the queue grows into
        cancel(submitQueued(Math.min(queries, 1_000)));
        long before = jvm.liveHeap();
        List<URI> queued = submitQueued(queries);
        long waiting = jvm.liveHeap();
        int listed = get("/api/v1/queue").get("queued").size();
        if (listed != queries) {
            throw new IllegalStateException("GET /api/v1/queue lists %s queued queries, not %s".formatted(listed, queries));
        }
        long cancelStarted = System.nanoTime();
        cancel(queued);
        double cancelMillis = (System.nanoTime() - cancelStarted) / 1e6;
        long after = jvm.liveHeap();
        int left = get("/api/v1/queue").get("queued").size();
        return """
                | queued queries | live heap before | with them queued | per queued query | after cancelling them all | left in the queue |
                |---:|---:|---:|---:|---:|---:|
                | %,d | %.1f MB | %.1f MB | %.2f KB | %.1f MB (cancelled in %.0f ms) | %d |
                """.formatted(queries, before / 1e6, waiting / 1e6, (waiting - before) / 1024.0 / queries, after / 1e6, cancelMillis, left);
    }

    /**
     * Submits the queries, {@value #IN_FLIGHT} at a time, and returns their gateway {@code nextUri}s.
     */
    private List<URI> submitQueued(int queries)
            throws Exception
    {
        List<CompletableFuture<URI>> submits = new ArrayList<>(queries);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        for (int i = 0; i < queries; i++) {
            inFlight.acquire();
            submits.add(client.sendAsync(statement(i), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((_, _) -> inFlight.release())
                    .thenApply(response -> queuedUri(response.body())));
        }
        List<URI> uris = new ArrayList<>(queries);
        for (CompletableFuture<URI> submit : submits) {
            uris.add(submit.join());
        }
        return uris;
    }

    private URI queuedUri(String body)
    {
        try {
            JsonNode results = mapper.readTree(body);
            String nextUri = results.path("nextUri").asText();
            if (!nextUri.contains("/v1/statement/queued/gateway/")) {
                throw new IllegalStateException("Not queued by the gateway: " + body);
            }
            return URI.create(nextUri);
        }
        catch (IOException e) {
            throw new IllegalStateException("Not JSON: " + body, e);
        }
    }

    private void cancel(List<URI> queued)
            throws Exception
    {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<?>> cancels = new ArrayList<>(queued.size());
        for (URI uri : queued) {
            inFlight.acquire();
            cancels.add(client.sendAsync(HttpRequest.newBuilder(uri).header("X-Trino-User", "user").DELETE().build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((_, _) -> inFlight.release()));
        }
        CompletableFuture.allOf(cancels.toArray(CompletableFuture[]::new)).join();
    }

    private JsonNode submit(int i)
            throws Exception
    {
        return mapper.readTree(client.send(statement(i), HttpResponse.BodyHandlers.ofString()).body());
    }

    private HttpRequest statement(int i)
    {
        return HttpRequest.newBuilder(gateway.resolve("/v1/statement"))
                .header("X-Trino-User", "analyst-" + (i % USERS))
                .header("X-Trino-Source", "trino-jdbc")
                .header("X-Trino-Catalog", "hive")
                .header("X-Trino-Schema", "sales")
                .header("X-Trino-Time-Zone", "Europe/Berlin")
                .header("X-Trino-Language", "en-US")
                .header("X-Trino-Client-Capabilities", "PATH,PARAMETRIC_DATETIME,SESSION_AUTHORIZATION")
                .header("X-Trino-Client-Info", "{\"dashboard\":\"revenue\",\"panel\":" + i + "}")
                .header("User-Agent", "StatementClientV1/476")
                .POST(HttpRequest.BodyPublishers.ofString(STATEMENT.formatted(i % 25), UTF_8))
                .build();
    }

    private JsonNode get(String path)
            throws Exception
    {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET %s: %s %s".formatted(path, response.statusCode(), response.body()));
        }
        return mapper.readTree(response.body());
    }
}
