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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.switchboard.benchmark.ProcessMeasures.loadAverage;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * The HTTP benchmark behind {@code bin/benchmark}: wrk generates the load (closed loop,
 * keep-alive connections, one request in flight per connection), with the Lua scripts in
 * {@code src/main/wrk} for the request shapes, and this class runs it step by step, the targets
 * taking turns round by round, while it reads what wrk cannot see: the CPU time of the proxy's
 * processes and of its database (/proc), the heap the gateway JVM allocates (JMX), its resident
 * memory, and wrk's own CPU time. Talks to 127.0.0.1 only; every wrk run is bounded in time.
 * <p>
 * Arguments: {@code --target name=http://127.0.0.1:port} (repeatable, in report order),
 * {@code --baseline name}, {@code --subject name} (repeatable: each is compared with the
 * baseline), {@code --pids name=pid[,pid...]} (processes whose CPU time and memory are charged
 * to that target), {@code --database-pids name=pid[,pid...]}, {@code --jvm name=pid} (a Java
 * process of that target whose heap allocation per request is reported), {@code --wrk wrk},
 * {@code --scripts dir} (the Lua scripts), {@code --threads 2}, {@code --concurrency 16,64},
 * {@code --endpoints submit,poll}, {@code --jit-warmup-seconds 10} (once per target and endpoint
 * before anything is measured), {@code --warmup-seconds 1} (an unmeasured wrk run before each
 * measured one), {@code --seconds 6}, {@code --rounds 3}, {@code --output file.md},
 * {@code --routing-rules name=100} (loads that many routing rules into the gateway of that
 * target through its API before anything runs: the rules of {@link BenchmarkRoutingRules} that
 * the submits do not match, then one that matches them and routes to {@code --routing-group}),
 * {@code --min-submit-ratio name=0.7} (the submit target of that subject, as a fraction of the
 * baseline's req/s).
 */
public final class HttpBenchmark
{
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final Pattern WRK_RESULT = Pattern.compile(
            "switchboard-wrk requests=(\\d+) duration_us=(\\d+) p50_us=(\\d+) p99_us=(\\d+) errors=(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final double DEFAULT_MIN_SUBMIT_RATIO = 0.7;
    private static final Pattern RULE_COUNTERS = Pattern.compile("\"([^\"]+)\":\\{\"matches\":(\\d+),\"errors\":(\\d+)}");
    // what submit.lua sends: the last rule loaded by --routing-rules matches it
    private static final String MATCHING_CONDITION = "source == 'switchboard-benchmark' && user == 'benchmark'";
    private static final String MATCHING_RULE = "benchmark-submits";

    enum Endpoint
    {
        SUBMIT("POST /v1/statement", "submit.lua"),
        POLL("GET nextUri", "poll.lua"),
        INFO("GET /v1/info", "poll.lua");

        private final String label;
        private final String script;

        Endpoint(String label, String script)
        {
            this.label = label;
            this.script = script;
        }
    }

    record Target(String name, URI uri, List<Long> pids, List<Long> databasePids, Optional<GatewayJvm> jvm) {}

    record Wrk(String command, Path scripts, int threads) {}

    record StepResult(
            Target target,
            Endpoint endpoint,
            int connections,
            long requests,
            long errors,
            double seconds,
            double p50Millis,
            double p99Millis,
            double cpuMicrosPerRequest,
            double databaseCpuMicrosPerRequest,
            double allocatedBytesPerRequest,
            double wrkCpuMicrosPerRequest,
            long rssKb)
    {
        double requestsPerSecond()
        {
            return requests / seconds;
        }
    }

    private HttpBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        Map<String, Target> targets = new LinkedHashMap<>();
        Map<String, List<Long>> pids = new LinkedHashMap<>();
        Map<String, List<Long>> databasePids = new LinkedHashMap<>();
        Map<String, Long> jvmPids = new LinkedHashMap<>();
        Map<String, Integer> routingRules = new LinkedHashMap<>();
        Map<String, Double> minSubmitRatios = new LinkedHashMap<>();
        String routingGroup = "adhoc";
        List<Integer> concurrency = List.of(16, 64);
        List<Endpoint> endpoints = List.of(Endpoint.SUBMIT, Endpoint.POLL);
        int warmupSeconds = 1;
        int jitWarmupSeconds = 10;
        int seconds = 6;
        int rounds = 3;
        String wrkCommand = "wrk";
        Path scripts = Path.of("src/main/wrk");
        int threads = 2;
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
                case "--wrk" -> wrkCommand = value;
                case "--scripts" -> scripts = Path.of(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--baseline" -> baseline = value;
                case "--subject" -> subjects.add(value);
                case "--output" -> output = Path.of(value);
                case "--routing-rules" -> {
                    String[] parts = value.split("=", 2);
                    routingRules.put(parts[0], Integer.parseInt(parts[1].trim()));
                }
                case "--routing-group" -> routingGroup = value;
                case "--min-submit-ratio" -> {
                    String[] parts = value.split("=", 2);
                    minSubmitRatios.put(parts[0], Double.parseDouble(parts[1].trim()));
                }
                default -> throw new IllegalArgumentException("Unknown argument: " + args[i]);
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("No --target given");
        }
        pids.forEach((name, list) -> targets.computeIfPresent(name, (_, target) -> new Target(name, target.uri(), list, target.databasePids(), target.jvm())));
        databasePids.forEach((name, list) -> targets.computeIfPresent(name, (_, target) -> new Target(name, target.uri(), target.pids(), list, target.jvm())));
        Wrk wrk = new Wrk(wrkCommand, scripts, threads);
        List<GatewayJvm> jvms = new ArrayList<>();
        try {
            for (Map.Entry<String, Long> jvmPid : jvmPids.entrySet()) {
                GatewayJvm jvm = GatewayJvm.attach(jvmPid.getValue());
                jvms.add(jvm);
                targets.computeIfPresent(jvmPid.getKey(), (name, target) -> new Target(name, target.uri(), target.pids(), target.databasePids(), Optional.of(jvm)));
            }
            for (Map.Entry<String, Integer> rules : routingRules.entrySet()) {
                loadRoutingRules(requireNonNull(targets.get(rules.getKey()), "no target " + rules.getKey()), rules.getValue(), routingGroup);
            }
            String report = run(wrk, targets, concurrency, endpoints, warmupSeconds, jitWarmupSeconds, seconds, rounds, baseline, subjects.isEmpty() ? List.of("gateway") : subjects, minSubmitRatios);
            for (String name : routingRules.keySet()) {
                report += routingRulesSummary(targets.get(name));
            }
            System.out.println(report);
            if (output != null) {
                Files.writeString(output, report, UTF_8);
            }
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

    private static String run(
            Wrk wrk,
            Map<String, Target> targets,
            List<Integer> concurrency,
            List<Endpoint> endpoints,
            int warmupSeconds,
            int jitWarmupSeconds,
            int seconds,
            int rounds,
            String baseline,
            List<String> subjects,
            Map<String, Double> minSubmitRatios)
            throws Exception
    {
        // the URL of every target and endpoint, fixed for the whole run: polls fetch the nextUri of one submit
        Map<String, URI> urls = new LinkedHashMap<>();
        for (Target target : targets.values()) {
            for (Endpoint endpoint : endpoints) {
                urls.put(target.name() + endpoint, switch (endpoint) {
                    case SUBMIT -> target.uri().resolve("/v1/statement");
                    case POLL -> firstNextUri(target);
                    case INFO -> target.uri().resolve("/v1/info");
                });
            }
        }
        // JIT warm-up of every server on every endpoint before anything is measured, so that the
        // first measured steps do not catch the Java servers compiling
        int maxConnections = concurrency.stream().mapToInt(Integer::intValue).max().orElse(1);
        for (Target target : targets.values()) {
            for (Endpoint endpoint : endpoints) {
                runWrk(wrk, endpoint, urls.get(target.name() + endpoint), maxConnections, jitWarmupSeconds, Optional.empty());
            }
        }

        String loadBefore = loadAverage();
        List<StepResult> results = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            for (int connections : concurrency) {
                for (int round = 1; round <= rounds; round++) {
                    for (Target target : targets.values()) {
                        URI url = urls.get(target.name() + endpoint);
                        if (warmupSeconds > 0) {
                            runWrk(wrk, endpoint, url, connections, warmupSeconds, Optional.empty());
                        }
                        StepResult result = runStep(wrk, target, endpoint, url, connections, seconds);
                        System.err.printf(Locale.ROOT, "%-18s %3d conns round %d %-13s %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %d  CPU %5.0f µs/req  wrk CPU %5.0f µs/req  RSS %4d MB%n",
                                endpoint.label, connections, round, target.name(), result.requestsPerSecond(), result.p50Millis(), result.p99Millis(), result.errors(),
                                result.cpuMicrosPerRequest(), result.wrkCpuMicrosPerRequest(), result.rssKb() / 1024);
                        results.add(result);
                    }
                }
            }
        }
        return report(wrk, results, baseline, subjects, minSubmitRatios, concurrency, rounds, warmupSeconds, seconds, loadBefore, loadAverage());
    }

    /**
     * Loads {@code count} routing rules into the gateway at the target through its API, one
     * version per rule: {@code count - 1} that the submits do not match and a last one, of the
     * lowest priority, that matches them and routes to {@code group}, so that every submit
     * evaluates them all.
     */
    private static void loadRoutingRules(Target target, int count, String group)
            throws IOException, InterruptedException
    {
        for (int i = 0; i < count; i++) {
            boolean last = i == count - 1;
            String name = last ? MATCHING_RULE : "rule-" + i;
            String condition = last ? MATCHING_CONDITION : BenchmarkRoutingRules.nonMatchingCondition(i);
            String rule = "{\"name\": \"%s\", \"priority\": %s, \"condition\": \"%s\", \"routingGroup\": \"%s\"}"
                    .formatted(name, last ? 1000 : i, condition, last ? group : "group-" + i);
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(target.uri().resolve("/api/v1/routing-rules"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(rule, UTF_8))
                    .timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString(UTF_8));
            if (response.statusCode() != 201) {
                throw new IllegalStateException("Adding rule %s to %s failed with HTTP %s: %s".formatted(rule, target.name(), response.statusCode(), response.body()));
            }
        }
        Map<String, long[]> counters = routingRuleCounters(target);
        if (counters.size() != count || !counters.containsKey(MATCHING_RULE)) {
            throw new IllegalStateException("%s routes by %s rules instead of the %s loaded".formatted(target.name(), counters.size(), count));
        }
        System.err.printf(Locale.ROOT, "%s: %d routing rules loaded, the last one routing the submits to group %s%n", target.name(), count, group);
    }

    /**
     * The line of the report that shows that the rules were evaluated: how often each matched.
     */
    private static String routingRulesSummary(Target target)
            throws IOException, InterruptedException
    {
        Map<String, long[]> counters = routingRuleCounters(target);
        long otherMatches = counters.entrySet().stream().filter(entry -> !entry.getKey().equals(MATCHING_RULE)).mapToLong(entry -> entry.getValue()[0]).sum();
        long errors = counters.values().stream().mapToLong(counter -> counter[1]).sum();
        long[] matching = counters.getOrDefault(MATCHING_RULE, new long[2]);
        return "%n%s routed by %d rules: `%s` (the last) matched %d submits, the other %d rules %d, errors %d%n"
                .formatted(target.name(), counters.size(), MATCHING_CONDITION, matching[0], counters.size() - 1, otherMatches, errors);
    }

    /**
     * The match and error counters of every rule the gateway routes by, by rule name.
     */
    private static Map<String, long[]> routingRuleCounters(Target target)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(target.uri().resolve("/api/v1/routing-rules")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(UTF_8));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Listing the rules of %s failed with HTTP %s: %s".formatted(target.name(), response.statusCode(), response.body()));
        }
        Map<String, long[]> counters = new LinkedHashMap<>();
        Matcher matcher = RULE_COUNTERS.matcher(response.body());
        while (matcher.find()) {
            counters.put(matcher.group(1), new long[] {Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3))});
        }
        return counters;
    }

    private static StepResult runStep(Wrk wrk, Target target, Endpoint endpoint, URI url, int connections, int seconds)
            throws Exception
    {
        long cpuBefore = cpuTicks(target.pids());
        long databaseCpuBefore = cpuTicks(target.databasePids());
        long allocatedBefore = target.jvm().map(GatewayJvm::allocatedBytes).orElse(-1L);
        long[] wrkTicks = new long[1];
        WrkResult wrkResult = runWrk(wrk, endpoint, url, connections, seconds, Optional.of(wrkTicks));
        long cpuAfter = cpuTicks(target.pids());
        long databaseCpuAfter = cpuTicks(target.databasePids());
        long allocatedAfter = target.jvm().map(GatewayJvm::allocatedBytes).orElse(-1L);
        long rssKb = rssKb(target.pids());
        long requests = wrkResult.requests();
        double allocatedBytes = allocatedBefore < 0 || requests == 0 ? Double.NaN : (allocatedAfter - allocatedBefore) / (double) requests;
        return new StepResult(target, endpoint, connections, requests, wrkResult.errors(), wrkResult.micros() / 1e6, wrkResult.p50Micros() / 1000.0, wrkResult.p99Micros() / 1000.0,
                microsPerRequest(cpuBefore, cpuAfter, requests),
                microsPerRequest(databaseCpuBefore, databaseCpuAfter, requests),
                allocatedBytes,
                microsPerRequest(0, wrkTicks[0], requests),
                rssKb);
    }

    record WrkResult(long requests, long micros, long p50Micros, long p99Micros, long errors) {}

    /**
     * Runs wrk once; with {@code cpuTicks}, samples its CPU time every 100 ms while it runs (the
     * last sample, which misses at most the run's last 100 ms, is what is returned in it).
     */
    private static WrkResult runWrk(Wrk wrk, Endpoint endpoint, URI url, int connections, int seconds, Optional<long[]> cpuTicks)
            throws Exception
    {
        List<String> command = List.of(wrk.command(),
                "-t" + Math.min(wrk.threads(), connections),
                "-c" + connections,
                "-d" + seconds + "s",
                "--timeout", "10s",
                "-s", wrk.scripts().resolve(endpoint.script).toString(),
                url.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        // wrk writes a few hundred bytes: the pipe does not fill before it exits
        while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
            if (cpuTicks.isPresent()) {
                try {
                    cpuTicks.get()[0] = ProcessMeasures.cpuTicks(process.pid());
                }
                catch (RuntimeException _) {
                    // it exited between the check and the read
                }
            }
            if (!process.isAlive()) {
                break;
            }
        }
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        Optional<WrkResult> result = parseWrkOutput(out);
        if (process.exitValue() != 0 || result.isEmpty()) {
            throw new IllegalStateException("wrk failed (exit %s): %s%n%s".formatted(process.exitValue(), String.join(" ", command), out));
        }
        return result.get();
    }

    /**
     * The line that {@code report.lua} prints at the end of a run.
     */
    static Optional<WrkResult> parseWrkOutput(String output)
    {
        Matcher matcher = WRK_RESULT.matcher(output);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(new WrkResult(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3)), Long.parseLong(matcher.group(4)), Long.parseLong(matcher.group(5))));
    }

    /**
     * Submits one query through the target and returns the {@code nextUri} it answered, after
     * checking that it points back at the target (the stub built it from the forwarded headers)
     * and that it can be fetched.
     */
    private static URI firstNextUri(Target target)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(target.uri().resolve("/v1/statement"))
                .header("X-Trino-User", "benchmark")
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1", UTF_8))
                .timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString(UTF_8));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Submit through %s failed with HTTP %s: %s".formatted(target.name(), response.statusCode(), response.body()));
        }
        String body = response.body();
        String marker = "\"nextUri\":\"";
        int start = body.indexOf(marker);
        if (start < 0) {
            throw new IllegalStateException("No nextUri in the response of " + target.name() + ": " + body);
        }
        URI nextUri = URI.create(body.substring(start + marker.length(), body.indexOf('"', start + marker.length())));
        if (!nextUri.getHost().equals(target.uri().getHost()) || nextUri.getPort() != target.uri().getPort()) {
            throw new IllegalStateException("nextUri %s returned through %s does not point back at it".formatted(nextUri, target.name()));
        }
        HttpResponse<String> poll = HTTP.send(HttpRequest.newBuilder(nextUri).header("X-Trino-User", "benchmark").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(UTF_8));
        if (poll.statusCode() != 200 || !poll.body().contains("\"nextUri\"")) {
            throw new IllegalStateException("Polling %s through %s failed with HTTP %s: %s".formatted(nextUri, target.name(), poll.statusCode(), poll.body()));
        }
        return nextUri;
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

    private static String report(Wrk wrk, List<StepResult> results, String baseline, List<String> subjects, Map<String, Double> minSubmitRatios, List<Integer> concurrency, int rounds, int warmupSeconds, int seconds, String loadBefore, String loadAfter)
    {
        StringBuilder report = new StringBuilder();
        report.append("wrk, %d threads, closed loop; per run %s s unmeasured + %s s measured (`wrk -t%d -c<conns> -d%ss -s <script>.lua <url>`), %d rounds per step with the targets taking turns, medians of the rounds; %d CPUs, load average before %s, after %s.%n%n"
                .formatted(wrk.threads(), warmupSeconds, seconds, wrk.threads(), seconds, rounds, Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter));
        report.append("| Endpoint | Conns | Target | req/s | p50 ms | p99 ms | errors | proxy CPU µs/req | its MySQL CPU µs/req | proxy heap allocation KB/req | wrk CPU µs/req |\n");
        report.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<String> targets = results.stream().map(result -> result.target().name()).distinct().toList();
        for (Endpoint endpoint : Endpoint.values()) {
            for (int connections : concurrency) {
                for (String target : targets) {
                    List<StepResult> runs = runs(results, target, endpoint, connections);
                    if (runs.isEmpty()) {
                        continue;
                    }
                    report.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.3f | %.3f | %d | %s | %s | %s | %s |%n",
                            endpoint.label, connections, target,
                            median(runs.stream().mapToDouble(StepResult::requestsPerSecond).toArray()),
                            median(runs.stream().mapToDouble(StepResult::p50Millis).toArray()),
                            median(runs.stream().mapToDouble(StepResult::p99Millis).toArray()),
                            runs.stream().mapToLong(StepResult::errors).sum(),
                            format("%.0f", median(runs.stream().mapToDouble(StepResult::cpuMicrosPerRequest).toArray())),
                            format("%.1f", median(runs.stream().mapToDouble(StepResult::databaseCpuMicrosPerRequest).toArray())),
                            format("%.1f", median(runs.stream().mapToDouble(StepResult::allocatedBytesPerRequest).toArray()) / 1024),
                            format("%.1f", median(runs.stream().mapToDouble(StepResult::wrkCpuMicrosPerRequest).toArray()))));
                }
            }
        }

        for (String subject : subjects) {
            double minSubmitRatio = minSubmitRatios.getOrDefault(subject, DEFAULT_MIN_SUBMIT_RATIO);
            report.append(String.format(Locale.ROOT, "%n%s compared with %s, round by round (targets: poll and info >= 0.8x req/s and p99 <= +2 ms at 16 and 64 connections; submit >= %.2fx); the verdict is on the median:%n%n",
                    subject, baseline, minSubmitRatio));
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
                        p99Differences[i] = measured.get(i).p99Millis() - base.get(i).p99Millis();
                    }
                    double ratio = median(ratios);
                    double p99Difference = median(p99Differences);
                    String verdict;
                    if (connections < 16) {
                        verdict = "(no target)";
                    }
                    else if (endpoint == Endpoint.SUBMIT) {
                        verdict = ratio >= minSubmitRatio ? "pass" : "MISS";
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
                    .ifPresent(rss -> report.append("%n%s RSS at %d connections (largest VmRSS at the end of a measured run): %d MB (target <= 300 MB)%n"
                            .formatted(subject, maxConnections, rss / 1024)));
        }
        return report.toString();
    }

    private static String format(String format, double value)
    {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, format, value);
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
