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
package io.switchboard.gateway.benchmark;

import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.switchboard.gateway.benchmark.ProcessMeasures.loadAverage;
import static io.switchboard.gateway.benchmark.ProcessMeasures.millis;
import static io.switchboard.gateway.benchmark.ProcessMeasures.percentile;
import static java.lang.Math.toIntExact;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * Closed-loop HTTP load on the Trino statement protocol: for every endpoint, number of concurrent
 * connections and target, each connection sends its next request as soon as the previous one is
 * answered. After a warm-up, requests completed inside the measured window count toward
 * throughput and latency. Targets are interleaved per step, so that load from other processes
 * on the machine falls on all of them alike. Talks to 127.0.0.1 only; every step is bounded in
 * time and in request count.
 * <p>
 * Arguments: {@code --target name=http://127.0.0.1:port} (repeatable, in report order),
 * {@code --baseline name}, {@code --subject name} (repeatable: each is compared with the baseline), {@code --pids name=pid[,pid...]} (processes
 * whose CPU time and memory are charged to that target), {@code --database-pids name=pid[,pid...]} (the
 * database processes that target writes to, whose CPU time is reported beside the target's own), {@code --jvm name=pid} (a Java process of that
 * target whose heap allocation per request is reported, read over a local JMX connection), {@code --concurrency 1,16,64},
 * {@code --endpoints submit,poll,info}, {@code --jit-warmup-seconds 15} (once per target and endpoint
 * before anything is measured), {@code --warmup-seconds 2} (before each run), {@code --seconds 5} (measured
 * per run), {@code --rounds 3} (runs per target and step, the targets taking turns), {@code --output file.md}.
 * <p>
 * Each step is reported as the median of its rounds, and the subject is compared with the
 * baseline round by round: on a shared 2-core machine one run's ratio moves by about 0.1, and the
 * median of paired rounds is what a verdict can rest on.
 */
public final class LoadDriver
{
    private static final long MAX_RECORDED_PER_STEP = 4_000_000;
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    enum Endpoint
    {
        SUBMIT("POST /v1/statement"),
        POLL("GET nextUri"),
        INFO("GET /v1/info");

        private final String label;

        Endpoint(String label)
        {
            this.label = label;
        }
    }

    record Target(String name, URI uri, List<Long> pids, List<Long> databasePids, Optional<GatewayJvm> jvm) {}

    record StepResult(
            Target target,
            Endpoint endpoint,
            int connections,
            long requests,
            long errors,
            double seconds,
            long p50Nanos,
            long p99Nanos,
            double cpuMicrosPerRequest,
            double databaseCpuMicrosPerRequest,
            double allocatedBytesPerRequest,
            long rssKb)
    {
        double requestsPerSecond()
        {
            return requests / seconds;
        }
    }

    private LoadDriver() {}

    public static void main(String[] args)
            throws Exception
    {
        Map<String, Target> targets = new LinkedHashMap<>();
        Map<String, List<Long>> pids = new LinkedHashMap<>();
        Map<String, List<Long>> databasePids = new LinkedHashMap<>();
        Map<String, Long> jvmPids = new LinkedHashMap<>();
        List<Integer> concurrency = List.of(1, 16, 64);
        List<Endpoint> endpoints = List.of(Endpoint.values());
        int warmupSeconds = 2;
        int jitWarmupSeconds = 15;
        int seconds = 5;
        int rounds = 3;
        String baseline = "nginx";
        List<String> subjects = new ArrayList<>();
        Path output = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--target" -> {
                    String[] parts = value.split("=", 2);
                    URI uri = URI.create(parts[1]);
                    if (!"127.0.0.1".equals(uri.getHost())) {
                        throw new IllegalArgumentException("Targets must be on 127.0.0.1: " + uri);
                    }
                    targets.put(parts[0], new Target(parts[0], uri, List.of(), List.of(), Optional.empty()));
                }
                case "--pids" -> putPids(pids, value);
                case "--database-pids" -> putPids(databasePids, value);
                case "--jvm" -> {
                    String[] parts = value.split("=", 2);
                    jvmPids.put(parts[0], Long.parseLong(parts[1].trim()));
                }
                case "--endpoints" -> endpoints = Arrays.stream(value.split(",")).map(endpoint -> Endpoint.valueOf(endpoint.trim().toUpperCase(Locale.ROOT))).toList();
                case "--concurrency" -> concurrency = Arrays.stream(value.split(",")).map(count -> Integer.parseInt(count.trim())).toList();
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
                case "--jit-warmup-seconds" -> jitWarmupSeconds = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--baseline" -> baseline = value;
                case "--subject" -> subjects.add(value);
                case "--output" -> output = Path.of(value);
                default -> throw new IllegalArgumentException("Unknown argument: " + args[i]);
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("No --target given");
        }
        pids.forEach((name, list) -> targets.computeIfPresent(name, (_, target) -> new Target(name, target.uri(), list, target.databasePids(), target.jvm())));
        databasePids.forEach((name, list) -> targets.computeIfPresent(name, (_, target) -> new Target(name, target.uri(), target.pids(), list, target.jvm())));
        List<GatewayJvm> jvms = new ArrayList<>();
        try {
            for (Map.Entry<String, Long> jvmPid : jvmPids.entrySet()) {
                GatewayJvm jvm = GatewayJvm.attach(jvmPid.getValue());
                jvms.add(jvm);
                targets.computeIfPresent(jvmPid.getKey(), (name, target) -> new Target(name, target.uri(), target.pids(), target.databasePids(), Optional.of(jvm)));
            }
            run(targets, concurrency, endpoints, warmupSeconds, jitWarmupSeconds, seconds, rounds, baseline, subjects.isEmpty() ? List.of("gateway") : subjects, output);
        }
        finally {
            for (GatewayJvm jvm : jvms) {
                jvm.close();
            }
        }
    }

    /**
     * {@code name=pid[,pid...]}
     */
    private static void putPids(Map<String, List<Long>> pids, String value)
    {
        String[] parts = value.split("=", 2);
        pids.put(parts[0], Arrays.stream(parts[1].split(",")).filter(pid -> !pid.isBlank()).map(pid -> Long.parseLong(pid.trim())).toList());
    }

    private static void run(
            Map<String, Target> targets,
            List<Integer> concurrency,
            List<Endpoint> endpoints,
            int warmupSeconds,
            int jitWarmupSeconds,
            int seconds,
            int rounds,
            String baseline,
            List<String> subjects,
            Path output)
            throws Exception
    {
        // JIT warm-up of every server on every endpoint before anything is measured, so that the
        // first measured steps do not catch the Java servers compiling: after 3 s per endpoint,
        // C2 still took 43% of the gateway's CPU in the first measured run of submits
        int maxConnections = concurrency.stream().mapToInt(Integer::intValue).max().orElse(1);
        for (Target target : targets.values()) {
            for (Endpoint endpoint : endpoints) {
                runStep(target, endpoint, maxConnections, jitWarmupSeconds, 1);
            }
        }

        String loadBefore = loadAverage();
        List<StepResult> results = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            for (int connections : concurrency) {
                for (int round = 1; round <= rounds; round++) {
                    for (Target target : targets.values()) {
                        StepResult result = runStep(target, endpoint, connections, warmupSeconds, seconds);
                        System.err.printf(Locale.ROOT, "%-18s %3d conns round %d %-13s %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %d  CPU %5.0f µs/req  RSS %4d MB%n",
                                endpoint.label, connections, round, target.name(), result.requestsPerSecond(), millis(result.p50Nanos()), millis(result.p99Nanos()), result.errors(),
                                result.cpuMicrosPerRequest(), result.rssKb() / 1024);
                        results.add(result);
                    }
                }
            }
        }
        String report = report(results, baseline, subjects, concurrency, rounds, warmupSeconds, seconds, loadBefore, loadAverage());
        System.out.println(report);
        if (output != null) {
            Files.writeString(output, report, UTF_8);
        }
    }

    private static StepResult runStep(Target target, Endpoint endpoint, int connections, int warmupSeconds, int seconds)
            throws Exception
    {
        HttpClient client = newClient(connections);
        try {
            URI uri = switch (endpoint) {
                case SUBMIT -> target.uri().resolve("/v1/statement");
                case POLL -> firstNextUri(client, target);
                case INFO -> target.uri().resolve("/v1/info");
            };
            long start = System.nanoTime();
            long measureStart = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
            long measureEnd = measureStart + TimeUnit.SECONDS.toNanos(seconds);
            long maxPerWorker = MAX_RECORDED_PER_STEP / connections;
            CountDownLatch done = new CountDownLatch(connections);
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                workers.add(new Worker(client, endpoint, uri, measureStart, measureEnd, maxPerWorker, done));
            }

            workers.forEach(Worker::next);
            sleepUntil(measureStart);
            long cpuBefore = cpuTicks(target.pids());
            long databaseCpuBefore = cpuTicks(target.databasePids());
            long allocatedBefore = target.jvm().map(GatewayJvm::allocatedBytes).orElse(-1L);
            sleepUntil(measureEnd);
            long cpuAfter = cpuTicks(target.pids());
            long databaseCpuAfter = cpuTicks(target.databasePids());
            long allocatedAfter = target.jvm().map(GatewayJvm::allocatedBytes).orElse(-1L);
            long rssKb = rssKb(target.pids());
            if (!done.await(30, TimeUnit.SECONDS)) {
                System.err.println("warning: requests still outstanding 30 s after the window closed; abandoning them");
            }

            long requests = 0;
            long errors = 0;
            long recorded = 0;
            for (Worker worker : workers) {
                requests += worker.measured;
                errors += worker.errors.get();
                recorded += worker.recorded;
            }
            long[] latencies = new long[toIntExact(recorded)];
            int offset = 0;
            for (Worker worker : workers) {
                System.arraycopy(worker.latencies, 0, latencies, offset, worker.recorded);
                offset += worker.recorded;
            }
            Arrays.sort(latencies);
            double cpuMicros = microsPerRequest(cpuBefore, cpuAfter, requests);
            double databaseCpuMicros = microsPerRequest(databaseCpuBefore, databaseCpuAfter, requests);
            double allocatedBytes = allocatedBefore < 0 || requests == 0 ? Double.NaN : (allocatedAfter - allocatedBefore) / (double) requests;
            return new StepResult(target, endpoint, connections, requests, errors, seconds, percentile(latencies, 0.50), percentile(latencies, 0.99), cpuMicros, databaseCpuMicros, allocatedBytes, rssKb);
        }
        finally {
            client.stop();
        }
    }

    private static final class Worker
    {
        private final HttpClient client;
        private final Endpoint endpoint;
        private final URI uri;
        private final long measureStart;
        private final long measureEnd;
        private final CountDownLatch done;
        private final AtomicLong errors = new AtomicLong();
        private long[] latencies;
        private final long maxRecorded;
        private int recorded;
        private long measured;

        Worker(HttpClient client, Endpoint endpoint, URI uri, long measureStart, long measureEnd, long maxRecorded, CountDownLatch done)
        {
            this.client = client;
            this.endpoint = endpoint;
            this.uri = uri;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
            this.maxRecorded = maxRecorded;
            this.done = done;
            this.latencies = new long[1024];
        }

        void next()
        {
            long started = System.nanoTime();
            if (started >= measureEnd) {
                done.countDown();
                return;
            }
            newRequest(client, endpoint, uri).send(new BufferingResponseListener(1024 * 1024)
            {
                @Override
                public void onComplete(Result result)
                {
                    long finished = System.nanoTime();
                    boolean failed = result.isFailed() || result.getResponse().getStatus() != 200;
                    if (failed) {
                        errors.incrementAndGet();
                    }
                    if (started >= measureStart && finished <= measureEnd) {
                        measured++;
                        if (!failed && recorded < maxRecorded) {
                            if (recorded == latencies.length) {
                                latencies = Arrays.copyOf(latencies, toIntExact(Math.min(maxRecorded, latencies.length * 2L)));
                            }
                            latencies[recorded++] = finished - started;
                        }
                    }
                    if (failed && result.isFailed()) {
                        // do not spin on a dead target
                        try {
                            Thread.sleep(10);
                        }
                        catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    next();
                }
            });
        }
    }

    private static Request newRequest(HttpClient client, Endpoint endpoint, URI uri)
    {
        Request request = client.newRequest(uri)
                .headers(headers -> headers.put("X-Trino-User", "benchmark"))
                .timeout(10, TimeUnit.SECONDS);
        if (endpoint == Endpoint.SUBMIT) {
            request.method(HttpMethod.POST)
                    .headers(headers -> headers.put("X-Trino-Source", "switchboard-benchmark"))
                    .body(new StringRequestContent("text/plain; charset=utf-8", "SELECT 1", UTF_8));
        }
        return request;
    }

    /**
     * Submits one query through the target and returns the {@code nextUri} it answered, after
     * checking that it points back at the target: the stub built it from the forwarded headers.
     */
    private static URI firstNextUri(HttpClient client, Target target)
            throws Exception
    {
        ContentResponse response = newRequest(client, Endpoint.SUBMIT, target.uri().resolve("/v1/statement")).send();
        if (response.getStatus() != 200) {
            throw new IllegalStateException("Submit through %s failed with HTTP %s: %s".formatted(target.name(), response.getStatus(), response.getContentAsString()));
        }
        String body = response.getContentAsString();
        String marker = "\"nextUri\":\"";
        int start = body.indexOf(marker);
        if (start < 0) {
            throw new IllegalStateException("No nextUri in the response of " + target.name() + ": " + body);
        }
        URI nextUri = URI.create(body.substring(start + marker.length(), body.indexOf('"', start + marker.length())));
        if (!nextUri.getHost().equals(target.uri().getHost()) || nextUri.getPort() != target.uri().getPort()) {
            throw new IllegalStateException("nextUri %s returned through %s does not point back at it".formatted(nextUri, target.name()));
        }
        ContentResponse poll = newRequest(client, Endpoint.POLL, nextUri).send();
        if (poll.getStatus() != 200 || !poll.getContentAsString().contains("\"nextUri\"")) {
            throw new IllegalStateException("Polling %s through %s failed with HTTP %s: %s".formatted(nextUri, target.name(), poll.getStatus(), poll.getContentAsString()));
        }
        return nextUri;
    }

    private static HttpClient newClient(int connections)
            throws Exception
    {
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, connections / 4 + 4), 2);
        threads.setName("load");
        threads.setDaemon(true);
        ClientConnector connector = new ClientConnector();
        connector.setExecutor(threads);
        connector.setSelectors(1);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setExecutor(threads);
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(connections * 2);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.getContentDecoderFactories().clear();
        client.setConnectTimeout(5_000);
        client.setIdleTimeout(60_000);
        client.start();
        return client;
    }

    private static void sleepUntil(long nanoTime)
            throws InterruptedException
    {
        long remaining = nanoTime - System.nanoTime();
        if (remaining > 0) {
            TimeUnit.NANOSECONDS.sleep(remaining);
        }
    }

    private static double microsPerRequest(long ticksBefore, long ticksAfter, long requests)
    {
        if (ticksBefore < 0 || ticksAfter < 0 || requests == 0) {
            return Double.NaN;
        }
        return (ticksAfter - ticksBefore) * (1_000_000.0 / CLOCK_TICKS_PER_SECOND) / requests;
    }

    /**
     * User plus system CPU time of the processes, in clock ticks, or -1 without processes.
     */
    private static long cpuTicks(List<Long> pids)
    {
        if (pids.isEmpty()) {
            return -1;
        }
        long ticks = 0;
        for (long pid : pids) {
            ticks += ProcessMeasures.cpuTicks(pid);
        }
        return ticks;
    }

    /**
     * Resident memory of the processes in KiB, or -1 without processes.
     */
    private static long rssKb(List<Long> pids)
    {
        if (pids.isEmpty()) {
            return -1;
        }
        long total = 0;
        for (long pid : pids) {
            total += Math.max(0, ProcessMeasures.rssKb(pid));
        }
        return total;
    }

    private static String report(List<StepResult> results, String baseline, List<String> subjects, List<Integer> concurrency, int rounds, int warmupSeconds, int seconds, String loadBefore, String loadAfter)
    {
        StringBuilder report = new StringBuilder();
        report.append("Closed loop, %s s warm-up + %s s measured per run, %d rounds per step with the targets taking turns, medians of the rounds; %d CPUs, load average before %s, after %s.%n%n"
                .formatted(warmupSeconds, seconds, rounds, Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter));
        report.append("| Endpoint | Conns | Target | req/s | p50 ms | p99 ms | errors | proxy CPU µs/req | its MySQL CPU µs/req | proxy heap allocation KB/req |\n");
        report.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        List<String> targets = results.stream().map(result -> result.target().name()).distinct().toList();
        for (Endpoint endpoint : Endpoint.values()) {
            for (int connections : concurrency) {
                for (String target : targets) {
                    List<StepResult> runs = runs(results, target, endpoint, connections);
                    if (runs.isEmpty()) {
                        continue;
                    }
                    double cpu = median(runs.stream().mapToDouble(StepResult::cpuMicrosPerRequest).toArray());
                    double databaseCpu = median(runs.stream().mapToDouble(StepResult::databaseCpuMicrosPerRequest).toArray());
                    double allocated = median(runs.stream().mapToDouble(StepResult::allocatedBytesPerRequest).toArray());
                    report.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.3f | %.3f | %d | %s | %s | %s |%n",
                            endpoint.label, connections, target,
                            median(runs.stream().mapToDouble(StepResult::requestsPerSecond).toArray()),
                            millis((long) median(runs.stream().mapToDouble(StepResult::p50Nanos).toArray())),
                            millis((long) median(runs.stream().mapToDouble(StepResult::p99Nanos).toArray())),
                            runs.stream().mapToLong(StepResult::errors).sum(),
                            Double.isNaN(cpu) ? "" : String.format(Locale.ROOT, "%.0f", cpu),
                            Double.isNaN(databaseCpu) ? "" : String.format(Locale.ROOT, "%.1f", databaseCpu),
                            Double.isNaN(allocated) ? "" : String.format(Locale.ROOT, "%.1f", allocated / 1024)));
                }
            }
        }

        for (String subject : subjects) {
            report.append("\n%s compared with %s, round by round (targets: poll and info >= 0.8x req/s and p99 <= +2 ms at 16 and 64 connections; submit >= 0.7x); the verdict is on the median:%n%n".formatted(subject, baseline));
            report.append("| Endpoint | Conns | req/s ratio, median | lowest - highest round | p99 difference ms, median | verdict |\n");
            report.append("|---|---:|---:|---:|---:|---|\n");
            for (Endpoint endpoint : Endpoint.values()) {
                for (int connections : concurrency) {
                    List<StepResult> base = runs(results, baseline, endpoint, connections);
                    List<StepResult> measured = runs(results, subject, endpoint, connections);
                    if (base.isEmpty() || base.size() != measured.size()) {
                        continue;
                    }
                    double[] ratios = new double[base.size()];
                    double[] p99Differences = new double[base.size()];
                    for (int i = 0; i < base.size(); i++) {
                        ratios[i] = measured.get(i).requestsPerSecond() / base.get(i).requestsPerSecond();
                        p99Differences[i] = millis(measured.get(i).p99Nanos() - base.get(i).p99Nanos());
                    }
                    double ratio = median(ratios);
                    double p99Difference = median(p99Differences);
                    String verdict;
                    if (connections < 16) {
                        verdict = "(no target)";
                    }
                    else if (endpoint == Endpoint.SUBMIT) {
                        verdict = ratio >= 0.7 ? "pass" : "MISS";
                    }
                    else {
                        verdict = ratio >= 0.8 && p99Difference <= 2.0 ? "pass" : "MISS";
                    }
                    report.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f - %.2f | %+.3f | %s |%n", endpoint.label, connections, ratio,
                            Arrays.stream(ratios).min().orElseThrow(), Arrays.stream(ratios).max().orElseThrow(), p99Difference, verdict));
                }
            }

            int maxConnections = concurrency.stream().mapToInt(Integer::intValue).max().orElse(0);
            results.stream()
                    .filter(result -> result.target().name().equals(subject) && result.connections() == maxConnections && result.rssKb() >= 0)
                    .mapToLong(StepResult::rssKb)
                    .max()
                    .ifPresent(rss -> report.append("%n%s RSS at %d connections (largest VmRSS at the end of a measured window): %d MB (target <= 300 MB)%n"
                            .formatted(subject, maxConnections, rss / 1024)));
        }
        return report.toString();
    }

    /**
     * The rounds of one target and step, in the order they ran (the order of the results).
     */
    private static List<StepResult> runs(List<StepResult> results, String target, Endpoint endpoint, int connections)
    {
        requireNonNull(target, "target is null");
        return results.stream()
                .filter(result -> result.target().name().equals(target) && result.endpoint() == endpoint && result.connections() == connections)
                .toList();
    }

    private static double median(double[] values)
    {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
