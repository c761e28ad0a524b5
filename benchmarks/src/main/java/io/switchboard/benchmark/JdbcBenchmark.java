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
import io.switchboard.testing.TrinoDistribution;
import io.switchboard.testing.TrinoServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static io.switchboard.benchmark.ProcessMeasures.cpuTicks;
import static io.switchboard.benchmark.ProcessMeasures.loadAverage;
import static io.switchboard.benchmark.ProcessMeasures.millis;
import static io.switchboard.benchmark.ProcessMeasures.percentile;
import static io.switchboard.benchmark.ProcessMeasures.readProcFile;
import static io.switchboard.benchmark.ProcessMeasures.rssKb;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * What a trino-jdbc client sees of the gateway in front of a real Trino 476 server:
 * <ol>
 * <li>{@code SELECT 1} latency, directly and through the gateway: sequential queries on one
 * connection per target, the targets taking turns query by query (who goes first rotates), so
 * that load from other processes falls on all alike; with {@code --nginx}, nginx in front of the
 * same Trino server is a third target, the reference for one proxy hop. A query's latency is createStatement,
 * executeQuery, reading every row and closing, measured in this client.</li>
 * <li>The gateway's heap while a large result (about 1 GB of JSON, compression off) streams
 * through it and is read to the end. The gateway runs in its own JVM; this client attaches to it
 * (Attach API, local JMX agent) and forces a full GC ({@code MemoryMXBean.gc()}) before the query,
 * every few seconds during it and after it: heap used right after those collections is the live
 * heap. It also records heap used after every collection the JVM ran by itself (an upper bound:
 * old-generation garbage counts until a mixed or full collection) and heap used sampled without any
 * collection (includes all garbage).</li>
 * <li>The stream's throughput once everything is warm (the heap-sampled stream compiled the
 * gateway's and Trino's code for it, and its forced collections pause the gateway): the same
 * result read directly, through the gateway and through nginx, taking turns for a few rounds.</li>
 * </ol>
 * This process starts the Trino server ({@link TrinoServer}, tpch and memory catalogs, no
 * Switchboard plugins) and registers it with the gateway; the gateway (with its database) is
 * started by {@code bin/benchmark --jdbc}. Talks to 127.0.0.1 only; every step is bounded.
 * <p>
 * Arguments: {@code --gateway http://127.0.0.1:port} and {@code --gateway-pid pid} (required),
 * {@code --nginx http://127.0.0.1:port} (a reverse proxy in front of the Trino server, timed as a
 * third target), {@code --trino-port port} (where the Trino server listens; default: any free port),
 * {@code --routing-group adhoc}, {@code --warmup-queries 2500}, {@code --queries 1000},
 * {@code --stream-rows 1000000}, {@code --row-bytes 1000}, {@code --gc-interval-seconds 2},
 * {@code --sample-millis 100}, {@code --stream-rounds 2} (rounds of the warm throughput
 * comparison; 0 for none), {@code --trino-heap 1G}, {@code --trino-pid-file file} (holds the
 * Trino server's pid while it runs), {@code --output file.md}.
 */
public final class JdbcBenchmark
{
    private static final String CLUSTER_NAME = "jdbc-benchmark";
    private static final String USER = "benchmark";
    private static final double LATENCY_TARGET_MILLIS = 1.0;
    private static final long HEAP_GROWTH_TARGET_BYTES = 64L * 1024 * 1024;
    private static final Duration ROUTING_TIMEOUT = Duration.ofMinutes(2);
    private static final int SELECT_TIMEOUT_SECONDS = 60;
    private static final int STREAM_TIMEOUT_SECONDS = 900;
    private static final int ROWS_PER_UNNEST = 1000;
    private static final int BOOTSTRAP_RESAMPLES = 2000;
    private static final long BOOTSTRAP_SEED = 42;

    private final URI gateway;
    private final Optional<URI> nginx;
    private final long gatewayPid;
    private final String routingGroup;
    private final int warmupQueries;
    private final int queries;
    private final long streamRows;
    private final int rowBytes;
    private final Duration gcInterval;
    private final Duration sampleInterval;
    private final int streamRounds;
    private final String trinoHeap;
    private final OptionalInt trinoPort;
    private final Path trinoPidFile;
    private final Path output;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Sorted latencies of each target; nginx's are empty when there was no nginx.
     */
    record Latencies(long[] directNanos, long[] gatewayNanos, long[] nginxNanos, long[] differenceNanos) {}

    record StreamResult(long rows, long characters, long nanos, long gatewayBytesWritten, long gatewayBytesRead, long gatewayCpuTicks)
    {
        double megabytesPerSecond(long bytes)
        {
            return bytes / 1e6 / (nanos / 1e9);
        }
    }

    record HeapProfile(
            long baselineLive,
            long maxLiveDuring,
            int forcedCollectionsDuring,
            long liveAfter,
            long maxAfterAnyCollection,
            int collectionsByJvm,
            long maxUsedSampled,
            int samples,
            long maxCommitted,
            long heapMax,
            long rssBeforeKb,
            long maxRssKb) {}

    private JdbcBenchmark(
            URI gateway,
            Optional<URI> nginx,
            long gatewayPid,
            String routingGroup,
            int warmupQueries,
            int queries,
            long streamRows,
            int rowBytes,
            Duration gcInterval,
            Duration sampleInterval,
            int streamRounds,
            String trinoHeap,
            OptionalInt trinoPort,
            Path trinoPidFile,
            Path output)
    {
        this.gateway = requireNonNull(gateway, "gateway is null");
        if (!"127.0.0.1".equals(gateway.getHost())) {
            throw new IllegalArgumentException("The gateway must be on 127.0.0.1: " + gateway);
        }
        this.nginx = requireNonNull(nginx, "nginx is null");
        if (nginx.isPresent() && !"127.0.0.1".equals(nginx.get().getHost())) {
            throw new IllegalArgumentException("nginx must be on 127.0.0.1: " + nginx.get());
        }
        if (gatewayPid <= 0) {
            throw new IllegalArgumentException("--gateway-pid is required");
        }
        if (queries <= 0 || warmupQueries < 0 || streamRows <= 0 || rowBytes <= 0 || streamRounds < 0) {
            throw new IllegalArgumentException("--queries, --stream-rows and --row-bytes must be positive, --warmup-queries and --stream-rounds not negative");
        }
        this.gatewayPid = gatewayPid;
        this.routingGroup = requireNonNull(routingGroup, "routingGroup is null");
        this.warmupQueries = warmupQueries;
        this.queries = queries;
        this.streamRows = streamRows;
        this.rowBytes = rowBytes;
        this.gcInterval = requireNonNull(gcInterval, "gcInterval is null");
        this.sampleInterval = requireNonNull(sampleInterval, "sampleInterval is null");
        this.streamRounds = streamRounds;
        this.trinoHeap = requireNonNull(trinoHeap, "trinoHeap is null");
        this.trinoPort = requireNonNull(trinoPort, "trinoPort is null");
        this.trinoPidFile = trinoPidFile;
        this.output = output;
    }

    public static void main(String[] args)
            throws Exception
    {
        URI gateway = null;
        Optional<URI> nginx = Optional.empty();
        long gatewayPid = -1;
        String routingGroup = "adhoc";
        // C2 compiles a method after about 15,000 calls, and a query makes 7-8 requests: with 500 warm-up
        // queries the gateway still ran C1 code (+2 to +3.7 ms), while a production gateway is warm
        int warmupQueries = 2500;
        int queries = 1000;
        long streamRows = 1_000_000;
        int rowBytes = 1000;
        int gcIntervalSeconds = 2;
        int sampleMillis = 100;
        int streamRounds = 2;
        String trinoHeap = "1G";
        OptionalInt trinoPort = OptionalInt.empty();
        Path trinoPidFile = null;
        Path output = null;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Missing value for " + args[i]);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--gateway" -> gateway = URI.create(value);
                case "--nginx" -> nginx = Optional.of(URI.create(value));
                case "--gateway-pid" -> gatewayPid = Long.parseLong(value);
                case "--routing-group" -> routingGroup = value;
                case "--warmup-queries" -> warmupQueries = Integer.parseInt(value);
                case "--queries" -> queries = Integer.parseInt(value);
                case "--stream-rows" -> streamRows = Long.parseLong(value);
                case "--row-bytes" -> rowBytes = Integer.parseInt(value);
                case "--gc-interval-seconds" -> gcIntervalSeconds = Integer.parseInt(value);
                case "--sample-millis" -> sampleMillis = Integer.parseInt(value);
                case "--stream-rounds" -> streamRounds = Integer.parseInt(value);
                case "--trino-heap" -> trinoHeap = value;
                case "--trino-port" -> trinoPort = OptionalInt.of(Integer.parseInt(value));
                case "--trino-pid-file" -> trinoPidFile = Path.of(value);
                case "--output" -> output = Path.of(value);
                default -> throw new IllegalArgumentException("Unknown argument: " + args[i]);
            }
        }
        if (gateway == null) {
            throw new IllegalArgumentException("--gateway is required");
        }
        new JdbcBenchmark(gateway, nginx, gatewayPid, routingGroup, warmupQueries, queries, streamRows, rowBytes,
                Duration.ofSeconds(gcIntervalSeconds), Duration.ofMillis(sampleMillis), streamRounds, trinoHeap, trinoPort, trinoPidFile, output)
                .run();
    }

    private void run()
            throws Exception
    {
        String loadBefore = loadAverage();
        log("starting a Trino %s server (-Xmx%s)", TrinoDistribution.fromBuild().version(), trinoHeap);
        TrinoServer.Builder builder = TrinoServer.builder(CLUSTER_NAME).withHeapSize(trinoHeap);
        trinoPort.ifPresent(builder::withPort);
        TrinoServer trino = builder.start();
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeTrino = () -> {
            if (closed.compareAndSet(false, true)) {
                trino.close();
                deletePidFile();
            }
        };
        // SIGTERM from bin/benchmark: do not leave the Trino server behind
        Thread hook = new Thread(closeTrino, "stop-benchmark-trino");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (trinoPidFile != null) {
                Files.writeString(trinoPidFile, trino.pid() + "\n", UTF_8);
            }
            log("Trino on %s (pid %s)", trino.baseUri(), trino.pid());
            String directUrl = trino.jdbcUrl();
            String gatewayUrl = "jdbc:trino://127.0.0.1:" + gateway.getPort();
            registerCluster(trino);
            awaitRouting(gatewayUrl);
            checkPollsGoThroughGateway();

            try (GatewayJvm gatewayJvm = GatewayJvm.attach(gatewayPid)) {
                log("SELECT 1: %s warm-up and %s measured queries per target", warmupQueries, queries);
                Optional<String> nginxUrl = nginx.map(uri -> "jdbc:trino://127.0.0.1:" + uri.getPort());
                Latencies latencies = measureLatency(directUrl, gatewayUrl, nginxUrl);

                String sql = streamQuery();
                log("streaming %s rows of about %s bytes through the gateway: %s", streamRows, rowBytes, sql);
                HeapSampler sampler = new HeapSampler(gatewayJvm, gatewayPid, gcInterval, sampleInterval);
                StreamResult throughGateway = sampler.during(() -> stream(gatewayUrl, sql));
                HeapProfile heap = sampler.profile();
                List<StreamRound> rounds = streamRounds(sql, directUrl, gatewayUrl, nginxUrl);
                String report = report(latencies, sql, throughGateway, rounds, heap, gatewayJvm.inputArguments(), loadBefore, loadAverage());
                System.out.println(report);
                if (output != null) {
                    Files.writeString(output, report, UTF_8);
                }
            }
        }
        finally {
            closeTrino.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (IllegalStateException _) {
                // already shutting down
            }
        }
    }

    private void deletePidFile()
    {
        if (trinoPidFile != null) {
            try {
                Files.deleteIfExists(trinoPidFile);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void registerCluster(TrinoServer trino)
            throws IOException, InterruptedException
    {
        String body = mapper.writeValueAsString(Map.of("name", CLUSTER_NAME, "proxyUrl", trino.baseUri().toString(), "routingGroup", routingGroup));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(gateway.resolve("/api/v1/clusters"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString(UTF_8));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Cannot register the Trino server with the gateway: HTTP %s %s".formatted(response.statusCode(), response.body()));
        }
    }

    /**
     * The gateway routes to a new cluster once it has read it from its database and found it healthy.
     */
    private void awaitRouting(String gatewayUrl)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + ROUTING_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection connection = connect(gatewayUrl, false)) {
                selectOne(connection);
                return;
            }
            catch (SQLException e) {
                last = e;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("The gateway does not route SELECT 1 to the Trino server after " + ROUTING_TIMEOUT, last);
    }

    /**
     * The latency comparison only means something if every request of a query, not only the
     * first, goes through the gateway: the nextUri it returns must point back at it.
     */
    private void checkPollsGoThroughGateway()
            throws IOException, InterruptedException
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve("/v1/statement"))
                .timeout(Duration.ofSeconds(30))
                .header("X-Trino-User", USER)
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1", UTF_8));
        for (int i = 0; i < 1000; i++) {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("SELECT 1 through the gateway failed: HTTP %s %s".formatted(response.statusCode(), response.body()));
            }
            JsonNode results = mapper.readTree(response.body());
            if (results.hasNonNull("error")) {
                throw new IllegalStateException("SELECT 1 through the gateway failed: " + results.get("error"));
            }
            if (!results.hasNonNull("nextUri")) {
                return;
            }
            URI nextUri = URI.create(results.get("nextUri").asText());
            if (!gateway.getHost().equals(nextUri.getHost()) || gateway.getPort() != nextUri.getPort()) {
                throw new IllegalStateException("nextUri %s returned through the gateway does not point back at it".formatted(nextUri));
            }
            request = HttpRequest.newBuilder(nextUri).timeout(Duration.ofSeconds(30)).header("X-Trino-User", USER);
        }
        throw new IllegalStateException("SELECT 1 through the gateway did not finish within 1000 polls");
    }

    private Latencies measureLatency(String directUrl, String gatewayUrl, Optional<String> nginxUrl)
            throws SQLException
    {
        try (Connection direct = connect(directUrl, false);
                Connection throughGateway = connect(gatewayUrl, false);
                Connection throughNginx = nginxUrl.isPresent() ? connect(nginxUrl.get(), false) : null) {
            List<Connection> targets = throughNginx == null ? List.of(direct, throughGateway) : List.of(direct, throughGateway, throughNginx);
            long[][] nanos = new long[targets.size()][queries];
            for (int i = 0; i < warmupQueries; i++) {
                for (Connection connection : targets) {
                    selectOne(connection);
                }
            }
            for (int i = 0; i < queries; i++) {
                // who goes first rotates, so that a slow moment of the machine falls on every target alike
                for (int turn = 0; turn < targets.size(); turn++) {
                    int target = (i + turn) % targets.size();
                    nanos[target][i] = selectOne(targets.get(target));
                }
            }
            long[] differenceNanos = new long[queries];
            for (int i = 0; i < queries; i++) {
                differenceNanos[i] = nanos[1][i] - nanos[0][i];
            }
            for (long[] sample : nanos) {
                Arrays.sort(sample);
            }
            Arrays.sort(differenceNanos);
            return new Latencies(nanos[0], nanos[1], throughNginx == null ? new long[0] : nanos[2], differenceNanos);
        }
    }

    private static long selectOne(Connection connection)
            throws SQLException
    {
        long start = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(SELECT_TIMEOUT_SECONDS);
            try (ResultSet resultSet = statement.executeQuery("SELECT 1")) {
                if (!resultSet.next() || resultSet.getInt(1) != 1 || resultSet.next()) {
                    throw new IllegalStateException("SELECT 1 did not return one row with 1");
                }
            }
        }
        return System.nanoTime() - start;
    }

    private String streamQuery()
    {
        long outer = (streamRows + ROWS_PER_UNNEST - 1) / ROWS_PER_UNNEST;
        // sequence() is limited to 10,000 elements: a cross join of two makes the rows
        return "SELECT a.x * %d + b.y AS n, lpad('x', %d, 'x') AS payload FROM UNNEST(sequence(0, %d)) a(x) CROSS JOIN UNNEST(sequence(1, %d)) b(y)"
                .formatted(ROWS_PER_UNNEST, rowBytes, outer - 1, ROWS_PER_UNNEST);
    }

    /**
     * One round of the warm throughput comparison: the same result read from every target.
     */
    record StreamRound(StreamResult direct, StreamResult throughGateway, Optional<StreamResult> throughNginx) {}

    private List<StreamRound> streamRounds(String sql, String directUrl, String gatewayUrl, Optional<String> nginxUrl)
            throws SQLException
    {
        List<String> urls = new ArrayList<>(List.of(directUrl, gatewayUrl));
        nginxUrl.ifPresent(urls::add);
        List<StreamRound> rounds = new ArrayList<>();
        for (int round = 0; round < streamRounds; round++) {
            log("stream round %s of %s: directly, through the gateway%s, taking turns", round + 1, streamRounds, nginxUrl.isPresent() ? " and through nginx" : "");
            StreamResult[] results = new StreamResult[urls.size()];
            for (int turn = 0; turn < urls.size(); turn++) {
                int target = (round + turn) % urls.size();
                results[target] = stream(urls.get(target), sql);
            }
            rounds.add(new StreamRound(results[0], results[1], nginxUrl.isPresent() ? Optional.of(results[2]) : Optional.empty()));
        }
        return rounds;
    }

    private StreamResult stream(String url, String sql)
            throws SQLException
    {
        // compression off: the JSON crosses the gateway as it is, about rows * (row bytes + 12)
        try (Connection connection = connect(url, true);
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(STREAM_TIMEOUT_SECONDS);
            Io ioBefore = Io.read(gatewayPid);
            long cpuBefore = cpuTicks(gatewayPid);
            long start = System.nanoTime();
            long rows = 0;
            long characters = 0;
            try (ResultSet resultSet = statement.executeQuery(sql)) {
                while (resultSet.next()) {
                    rows++;
                    resultSet.getLong(1);
                    characters += resultSet.getString(2).length();
                }
            }
            long nanos = System.nanoTime() - start;
            Io ioAfter = Io.read(gatewayPid);
            long expected = ((streamRows + ROWS_PER_UNNEST - 1) / ROWS_PER_UNNEST) * ROWS_PER_UNNEST;
            if (rows != expected) {
                throw new IllegalStateException("Read %s rows instead of %s".formatted(rows, expected));
            }
            return new StreamResult(rows, characters, nanos, ioAfter.written() - ioBefore.written(), ioAfter.read() - ioBefore.read(), cpuTicks(gatewayPid) - cpuBefore);
        }
    }

    private static Connection connect(String url, boolean disableCompression)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("source", "switchboard-jdbc-benchmark");
        if (disableCompression) {
            properties.setProperty("disableCompression", "true");
        }
        return DriverManager.getConnection(url, properties);
    }

    interface SqlSupplier<T>
    {
        T get()
                throws SQLException;
    }

    /**
     * Samples the gateway's heap while a task runs: used heap every sample interval, live heap
     * (after a forced full collection) every GC interval, and the heap after every collection the
     * JVM runs by itself.
     */
    private static final class HeapSampler
    {
        private final GatewayJvm jvm;
        private final long pid;
        private final Duration gcInterval;
        private final Duration sampleInterval;
        private final AtomicLong maxAfterAnyCollection = new AtomicLong();
        private final AtomicLong collectionsByJvm = new AtomicLong();
        private final AtomicBoolean recording = new AtomicBoolean();
        private volatile HeapProfile profile;

        HeapSampler(GatewayJvm jvm, long pid, Duration gcInterval, Duration sampleInterval)
        {
            this.jvm = requireNonNull(jvm, "jvm is null");
            this.pid = pid;
            this.gcInterval = requireNonNull(gcInterval, "gcInterval is null");
            this.sampleInterval = requireNonNull(sampleInterval, "sampleInterval is null");
        }

        <T> T during(SqlSupplier<T> task)
                throws Exception
        {
            jvm.onCollection(used -> {
                if (recording.get()) {
                    collectionsByJvm.incrementAndGet();
                    maxAfterAnyCollection.accumulateAndGet(used, Math::max);
                }
            });
            jvm.liveHeap();
            long baselineLive = jvm.liveHeap();
            long rssBeforeKb = rssKb(pid);
            long heapMax = jvm.heap().getMax();

            AtomicBoolean done = new AtomicBoolean();
            long[] maxLiveDuring = {0};
            int[] forcedCollections = {0};
            long[] maxUsed = {0};
            long[] maxCommitted = {0};
            long[] maxRssKb = {rssBeforeKb};
            int[] samples = {0};
            AtomicReference<RuntimeException> samplerFailure = new AtomicReference<>();
            Thread sampler = Thread.ofPlatform().name("gateway-heap-sampler").daemon().start(() -> {
                long nextCollection = System.nanoTime() + gcInterval.toNanos();
                try {
                    while (!done.get()) {
                        MemoryUsage heap = jvm.heap();
                        maxUsed[0] = Math.max(maxUsed[0], heap.getUsed());
                        maxCommitted[0] = Math.max(maxCommitted[0], heap.getCommitted());
                        maxRssKb[0] = Math.max(maxRssKb[0], rssKb(pid));
                        samples[0]++;
                        if (System.nanoTime() >= nextCollection) {
                            maxLiveDuring[0] = Math.max(maxLiveDuring[0], jvm.liveHeap());
                            forcedCollections[0]++;
                            nextCollection = System.nanoTime() + gcInterval.toNanos();
                        }
                        Thread.sleep(sampleInterval);
                    }
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                catch (RuntimeException e) {
                    samplerFailure.set(e);
                }
            });
            recording.set(true);
            T result;
            try {
                result = task.get();
            }
            finally {
                recording.set(false);
                done.set(true);
                sampler.join();
            }
            if (samplerFailure.get() != null) {
                throw new IllegalStateException("Sampling the gateway's heap failed", samplerFailure.get());
            }
            if (forcedCollections[0] == 0) {
                throw new IllegalStateException("The result streamed in less than %s: no live heap measured while streaming; stream more rows".formatted(gcInterval));
            }
            long liveAfter = jvm.liveHeap();
            profile = new HeapProfile(baselineLive, maxLiveDuring[0], forcedCollections[0], liveAfter, maxAfterAnyCollection.get(), collectionsByJvm.intValue(),
                    maxUsed[0], samples[0], maxCommitted[0], heapMax, rssBeforeKb, maxRssKb[0]);
            return result;
        }

        HeapProfile profile()
        {
            return requireNonNull(profile, "nothing sampled yet");
        }
    }

    /**
     * Bytes the process passed to write and read system calls (sockets included), from /proc.
     */
    record Io(long read, long written)
    {
        static Io read(long pid)
        {
            long read = -1;
            long written = -1;
            for (String line : readProcFile(Path.of("/proc", String.valueOf(pid), "io")).split("\n")) {
                if (line.startsWith("rchar:")) {
                    read = Long.parseLong(line.substring("rchar:".length()).trim());
                }
                else if (line.startsWith("wchar:")) {
                    written = Long.parseLong(line.substring("wchar:".length()).trim());
                }
            }
            return new Io(read, written);
        }
    }

    private static double megabytes(long bytes)
    {
        return bytes / (1024.0 * 1024.0);
    }

    private static void log(String format, Object... args)
    {
        System.err.println("[jdbc-benchmark] " + format.formatted(args));
    }

    private String report(Latencies latencies, String sql, StreamResult throughGateway, List<StreamRound> rounds, HeapProfile heap, List<String> gatewayJvmArguments, String loadBefore, String loadAfter)
    {
        StringBuilder report = new StringBuilder();
        report.append("# trino-jdbc against Trino %s: directly and through the Switchboard gateway%n%n".formatted(TrinoDistribution.fromBuild().version()));
        report.append("%d CPUs, load average before %s, after %s. Gateway: its own JVM (pid %d, %s), embedded MariaDB, one cluster: a Trino %s server (tpch and memory catalogs, no Switchboard plugins). Everything on 127.0.0.1.%n%n"
                .formatted(Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, gatewayPid, String.join(" ", gatewayJvmArguments), TrinoDistribution.fromBuild().version()));

        report.append("## SELECT 1 latency%n%n".formatted());
        report.append(("%d sequential queries per target after %d warm-up queries each; one trino-jdbc connection per target; the targets take turns query by query, "
                + "who goes first rotating. Latency: createStatement, executeQuery, read every row, close, timed in the client.%s%n%n").formatted(queries, warmupQueries,
                latencies.nginxNanos().length == 0 ? "" : " nginx (the same configuration as in the HTTP benchmark, in front of the same Trino server) is the reference for one proxy hop."));
        report.append("| Target | median ms | p90 ms | p99 ms | max ms |\n");
        report.append("|---|---:|---:|---:|---:|\n");
        appendLatencyRow(report, "direct", latencies.directNanos());
        appendLatencyRow(report, "gateway", latencies.gatewayNanos());
        if (latencies.nginxNanos().length > 0) {
            appendLatencyRow(report, "nginx", latencies.nginxNanos());
        }
        appendLatencyRow(report, "gateway - direct, per pair", latencies.differenceNanos());
        double medianDifference = millis(percentile(latencies.gatewayNanos(), 0.5) - percentile(latencies.directNanos(), 0.5));
        long[] interval = bootstrapMedianDifference(latencies.gatewayNanos(), latencies.directNanos());
        report.append(("%nThe gateway adds %.3f ms to the median SELECT 1 (median through the gateway minus median direct; 95%% bootstrap interval %.3f to %.3f ms; "
                + "target <= %.0f ms): %s. p99: %+.3f ms.%n%n").formatted(
                medianDifference, millis(interval[0]), millis(interval[1]), LATENCY_TARGET_MILLIS, medianDifference <= LATENCY_TARGET_MILLIS ? "pass" : "MISS",
                millis(percentile(latencies.gatewayNanos(), 0.99) - percentile(latencies.directNanos(), 0.99))));
        if (latencies.nginxNanos().length > 0) {
            long[] nginxInterval = bootstrapMedianDifference(latencies.nginxNanos(), latencies.directNanos());
            report.append("nginx adds %.3f ms to the median SELECT 1 (95%% bootstrap interval %.3f to %.3f ms).%n%n".formatted(
                    millis(percentile(latencies.nginxNanos(), 0.5) - percentile(latencies.directNanos(), 0.5)), millis(nginxInterval[0]), millis(nginxInterval[1])));
        }

        report.append("## A large result: the gateway heap while it streams through, and the stream's throughput%n%n".formatted());
        report.append("Query, read to the end over trino-jdbc with compression off (`disableCompression=true`):%n%n```%n%s%n```%n%n".formatted(sql));
        report.append("| Path | rows | time s | bytes written by the gateway process | gateway CPU s | MB/s |\n");
        report.append("|---|---:|---:|---:|---:|---:|\n");
        long resultBytes = throughGateway.gatewayBytesWritten();
        appendStreamRow(report, "gateway, heap sampled (the first stream: JIT compilation, a forced full collection every %d s)".formatted(gcInterval.toSeconds()), throughGateway, resultBytes, true);
        for (int round = 0; round < rounds.size(); round++) {
            StreamRound streamRound = rounds.get(round);
            appendStreamRow(report, "direct, warm round %d".formatted(round + 1), streamRound.direct(), resultBytes, false);
            appendStreamRow(report, "gateway, warm round %d".formatted(round + 1), streamRound.throughGateway(), resultBytes, true);
            int number = round + 1;
            streamRound.throughNginx().ifPresent(result -> appendStreamRow(report, "nginx, warm round %d".formatted(number), result, resultBytes, false));
        }
        report.append("%nBytes: `wchar` of the gateway JVM from /proc (everything it wrote to sockets and files: the response to the client, requests to Trino, its log and database). MB/s: the bytes the gateway wrote for the heap-sampled stream divided by the time to read the result (for every target: the same JSON).%n%n".formatted());
        if (!rounds.isEmpty()) {
            double direct = medianMegabytesPerSecond(rounds, StreamRound::direct, resultBytes);
            double throughGatewayWarm = medianMegabytesPerSecond(rounds, StreamRound::throughGateway, resultBytes);
            report.append(String.format(Locale.ROOT, "Warm, median of %d rounds: direct %.0f MB/s, gateway %.0f MB/s (%.2f of direct)", rounds.size(), direct, throughGatewayWarm, throughGatewayWarm / direct));
            if (rounds.getFirst().throughNginx().isPresent()) {
                double throughNginx = medianMegabytesPerSecond(rounds, round -> round.throughNginx().orElseThrow(), resultBytes);
                report.append(String.format(Locale.ROOT, ", nginx %.0f MB/s (%.2f of direct; the gateway %.2f of nginx)", throughNginx, throughNginx / direct, throughGatewayWarm / throughNginx));
            }
            report.append(".%n%n".formatted());
        }

        long growth = heap.maxLiveDuring() - heap.baselineLive();
        report.append(("Gateway heap (max %.0f MB), read over JMX from the gateway JVM. \"Live\" means heap used right after a full collection forced with "
                + "`MemoryMXBean.gc()` (System.gc()): one before the query, one every %d s while it streams (%d in all), one after it.%n%n")
                .formatted(megabytes(heap.heapMax()), gcInterval.toSeconds(), heap.forcedCollectionsDuring()));
        report.append("| Measure | MB |\n");
        report.append("|---|---:|\n");
        report.append(String.format(Locale.ROOT, "| live heap before the query | %.1f |%n", megabytes(heap.baselineLive())));
        report.append(String.format(Locale.ROOT, "| largest live heap while streaming | %.1f |%n", megabytes(heap.maxLiveDuring())));
        report.append(String.format(Locale.ROOT, "| **heap growth** (largest live while streaming - live before) | **%.1f** |%n", megabytes(growth)));
        report.append(String.format(Locale.ROOT, "| live heap after the query | %.1f |%n", megabytes(heap.liveAfter())));
        report.append(String.format(Locale.ROOT, "| largest heap used after a collection the JVM ran by itself (%d collections; counts old-generation garbage not yet collected) | %.1f |%n",
                heap.collectionsByJvm(), megabytes(heap.maxAfterAnyCollection())));
        report.append(String.format(Locale.ROOT, "| largest heap used, sampled every %d ms without collecting (%d samples; includes garbage) | %.1f |%n",
                sampleInterval.toMillis(), heap.samples(), megabytes(heap.maxUsedSampled())));
        report.append(String.format(Locale.ROOT, "| largest heap committed | %.1f |%n", megabytes(heap.maxCommitted())));
        report.append(String.format(Locale.ROOT, "| gateway RSS before the query, largest while streaming | %.0f, %.0f |%n", heap.rssBeforeKb() / 1024.0, heap.maxRssKb() / 1024.0));
        report.append("%nHeap growth while streaming %.0f MB: %.1f MB (target < %d MB): %s.%n".formatted(
                throughGateway.gatewayBytesWritten() / 1e6, megabytes(growth), HEAP_GROWTH_TARGET_BYTES / (1024 * 1024), growth < HEAP_GROWTH_TARGET_BYTES ? "pass" : "MISS"));
        return report.toString();
    }

    /**
     * The 2.5th and 97.5th percentiles of the difference of medians over resamples (with
     * replacement) of both samples: how precisely this machine measured that difference.
     */
    private static long[] bootstrapMedianDifference(long[] subject, long[] baseline)
    {
        Random random = new Random(BOOTSTRAP_SEED);
        long[] differences = new long[BOOTSTRAP_RESAMPLES];
        long[] subjectResample = new long[subject.length];
        long[] baselineResample = new long[baseline.length];
        for (int i = 0; i < differences.length; i++) {
            for (int j = 0; j < subject.length; j++) {
                subjectResample[j] = subject[random.nextInt(subject.length)];
            }
            for (int j = 0; j < baseline.length; j++) {
                baselineResample[j] = baseline[random.nextInt(baseline.length)];
            }
            Arrays.sort(subjectResample);
            Arrays.sort(baselineResample);
            differences[i] = percentile(subjectResample, 0.5) - percentile(baselineResample, 0.5);
        }
        Arrays.sort(differences);
        return new long[] {percentile(differences, 0.025), percentile(differences, 0.975)};
    }

    private static void appendStreamRow(StringBuilder report, String label, StreamResult result, long resultBytes, boolean throughGateway)
    {
        report.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %s | %s | %.0f |%n", label, result.rows(), result.nanos() / 1e9,
                throughGateway ? "%.0f MB".formatted(result.gatewayBytesWritten() / 1e6) : "",
                throughGateway ? "%.1f".formatted(result.gatewayCpuTicks() / 100.0) : "",
                result.megabytesPerSecond(resultBytes)));
    }

    private static double medianMegabytesPerSecond(List<StreamRound> rounds, Function<StreamRound, StreamResult> target, long resultBytes)
    {
        double[] rates = rounds.stream().map(target).mapToDouble(result -> result.megabytesPerSecond(resultBytes)).sorted().toArray();
        return rates.length % 2 == 1 ? rates[rates.length / 2] : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
    }

    private static void appendLatencyRow(StringBuilder report, String label, long[] sorted)
    {
        report.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f |%n", label,
                millis(percentile(sorted, 0.5)), millis(percentile(sorted, 0.9)), millis(percentile(sorted, 0.99)), millis(sorted[sorted.length - 1])));
    }
}
