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
package io.switchboard.testing;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * A real Trino server process started from the {@code trino-server-core} tarball with
 * {@code bin/launcher run}, configured through its own {@code etc/} directory, with extra
 * plugin zips unpacked into its {@code plugin/} directory the way users install them.
 * {@link #close()} stops the process and deletes its files.
 */
public final class TrinoServer
        implements AutoCloseable
{
    /**
     * Stands for the server's absolute {@code etc/} path in property values.
     */
    public static final String ETC_DIRECTORY = "${switchboard.etc-dir}";

    // 256 bits, base64: the key the coordinator signs segment URIs with; a test value
    private static final String SPOOLING_SECRET = "c3dpdGNoYm9hcmQtdGVzdGluZy1zcG9vbGluZy1rZXk=";

    private final String name;
    private final int port;
    private final Path home;
    private final Path installation;
    private final Duration startTimeout;
    private final List<String> readinessQueries;
    private Process process;

    private TrinoServer(String name, int port, Path home, Path installation, Duration startTimeout, List<String> readinessQueries)
    {
        this.name = requireNonNull(name, "name is null");
        this.port = port;
        this.home = requireNonNull(home, "home is null");
        this.installation = requireNonNull(installation, "installation is null");
        this.startTimeout = requireNonNull(startTimeout, "startTimeout is null");
        this.readinessQueries = ImmutableList.copyOf(readinessQueries);
    }

    public static Builder builder(String name)
    {
        return new Builder(name);
    }

    public String name()
    {
        return name;
    }

    public int port()
    {
        return port;
    }

    public URI baseUri()
    {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String jdbcUrl()
    {
        return "jdbc:trino://127.0.0.1:" + port;
    }

    public Path etcDirectory()
    {
        return home.resolve("etc");
    }

    public Path logFile()
    {
        return home.resolve("server.log");
    }

    /**
     * Trino's HTTP request log: one line per request the coordinator received.
     */
    public String httpRequestLog()
    {
        try {
            Path log = home.resolve("data/var/log/http-request.log");
            return Files.exists(log) ? Files.readString(log, UTF_8) : "";
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String serverLog()
    {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile(), UTF_8) : "";
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isRunning()
    {
        return process != null && process.isAlive();
    }

    public long pid()
    {
        return process.pid();
    }

    /**
     * Starts the server (again, after {@link #stop()} or {@link #kill()}) on the same port with
     * the same configuration and data, and waits until it accepts queries.
     */
    public synchronized void start()
    {
        if (isRunning()) {
            throw new IllegalStateException("Trino server " + name + " is already running");
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(
                    installation.resolve("bin/launcher").toString(),
                    "run",
                    "--etc-dir=" + etcDirectory(),
                    "--data-dir=" + home.resolve("data"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
            String javaHome = System.getProperty("java.home");
            builder.environment().put("JAVA_HOME", javaHome);
            builder.environment().put("PATH", javaHome + "/bin:" + builder.environment().getOrDefault("PATH", "/usr/bin:/bin"));
            process = builder.start();
            Process started = process;
            // a test JVM that dies must not leave Trino servers behind
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "stop-trino-" + name));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitStarted();
    }

    private void awaitStarted()
    {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Trino server " + name + " exited with code " + process.exitValue() + "; log:\n" + tail(serverLog()));
            }
            if (isStarted() && readinessQueries.stream().allMatch(this::succeeds)) {
                return;
            }
            Processes.sleep(Duration.ofMillis(250));
        }
        stop();
        throw new IllegalStateException("Trino server " + name + " did not start within " + startTimeout + "; log:\n" + tail(serverLog()));
    }

    private boolean isStarted()
    {
        return CoordinatorProbe.isStarted(baseUri());
    }

    /**
     * The coordinator announces itself and its catalogs to its own discovery service a moment
     * after it reports started; until then queries fail with "No nodes available to run query".
     */
    private boolean succeeds(String query)
    {
        return CoordinatorProbe.succeeds(baseUri(), "X-Trino-User", query, Duration.ofSeconds(10));
    }

    /**
     * Stops the server gracefully (SIGTERM), waiting for the process to exit.
     */
    public synchronized void stop()
    {
        if (process == null) {
            return;
        }
        Processes.stop(process, Duration.ofSeconds(30));
    }

    /**
     * Kills the server (SIGKILL), as a crash would.
     */
    public synchronized void kill()
    {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        stop();
        try {
            deleteRecursively(home, ALLOW_INSECURE);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String log)
    {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class Builder
    {
        private final String name;
        private int port;
        private String heapSize = "1G";
        private Duration startTimeout = Duration.ofMinutes(3);
        private final Map<String, Map<String, String>> catalogs = new LinkedHashMap<>(Map.of(
                "tpch", Map.of("connector.name", "tpch"),
                "memory", Map.of("connector.name", "memory")));
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> etcFiles = new LinkedHashMap<>();
        private final List<Path> pluginZips = new ArrayList<>();

        private Builder(String name)
        {
            this.name = requireNonNull(name, "name is null");
        }

        public Builder withPort(int port)
        {
            this.port = port;
            return this;
        }

        public Builder withHeapSize(String heapSize)
        {
            this.heapSize = requireNonNull(heapSize, "heapSize is null");
            return this;
        }

        public Builder withStartTimeout(Duration startTimeout)
        {
            this.startTimeout = requireNonNull(startTimeout, "startTimeout is null");
            return this;
        }

        public Builder withCatalog(String catalog, Map<String, String> properties)
        {
            catalogs.put(catalog, ImmutableMap.copyOf(properties));
            return this;
        }

        /**
         * A property for {@code etc/config.properties}, overriding the defaults.
         */
        public Builder withProperty(String key, String value)
        {
            properties.put(key, value);
            return this;
        }

        /**
         * A file under {@code etc/}, such as {@code event-listener.properties}.
         */
        public Builder withEtcFile(String relativePath, String content)
        {
            etcFiles.put(relativePath, content);
            return this;
        }

        /**
         * Enables the spooling protocol with Trino's own file system spooling manager, storing
         * segments under {@code <name>/} in the store's bucket, and segments retrieved through
         * the coordinator ({@code COORDINATOR_PROXY}), the mode that keeps the client's
         * traffic on the address it submitted to.
         */
        public Builder withSpooling(TestingObjectStore store)
        {
            return withSpooling(store, "COORDINATOR_PROXY");
        }

        /**
         * @param retrievalMode {@code protocol.spooling.retrieval-mode}: {@code STORAGE},
         * {@code COORDINATOR_STORAGE_REDIRECT}, {@code COORDINATOR_PROXY} or {@code WORKER_PROXY}
         */
        public Builder withSpooling(TestingObjectStore store, String retrievalMode)
        {
            properties.put("protocol.spooling.enabled", "true");
            properties.put("protocol.spooling.shared-secret-key", SPOOLING_SECRET);
            properties.put("protocol.spooling.retrieval-mode", retrievalMode);
            return withEtcFile("spooling-manager.properties", """
                    spooling-manager.name=filesystem
                    fs.s3.enabled=true
                    fs.location=s3://%s/%s/
                    s3.endpoint=%s
                    s3.region=%s
                    s3.path-style-access=true
                    s3.aws-access-key=%s
                    s3.aws-secret-key=%s
                    # S3Proxy's file system store refuses SSE-C (501); on S3 itself, leave encryption on
                    fs.segment.encryption=false
                    """.formatted(store.bucket(), name, store.endpoint(), TestingObjectStore.REGION, TestingObjectStore.ACCESS_KEY, TestingObjectStore.SECRET_KEY));
        }

        public Builder withPluginZip(Path zip)
        {
            pluginZips.add(zip);
            return this;
        }

        public TrinoServer build()
        {
            Path installation = TrinoDistribution.fromBuild().installation();
            int actualPort = port == 0 ? freePort() : port;
            try {
                Path home = Files.createTempDirectory("switchboard-trino-" + name + "-");
                Path plugins = home.resolve("plugin");
                Files.createDirectories(plugins);
                try (Stream<Path> builtIn = Files.list(installation.resolve("plugin"))) {
                    for (Path plugin : builtIn.toList()) {
                        Files.createSymbolicLink(plugins.resolve(plugin.getFileName()), plugin);
                    }
                }
                for (Path zip : pluginZips) {
                    Zips.unzip(zip, plugins);
                }
                writeEtc(home, actualPort, plugins);
                return new TrinoServer(name, actualPort, home, installation, startTimeout, readinessQueries());
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Builds the server and starts it; the server is closed if it does not start.
         */
        public TrinoServer start()
        {
            TrinoServer server = build();
            try {
                server.start();
                return server;
            }
            catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }

        /**
         * {@code SELECT 1} needs any node; a table scan needs a node that announced the catalog.
         */
        private List<String> readinessQueries()
        {
            ImmutableList.Builder<String> queries = ImmutableList.builder();
            queries.add("SELECT 1");
            catalogs.forEach((catalog, properties) -> {
                if ("tpch".equals(properties.get("connector.name"))) {
                    queries.add("SELECT count(*) FROM \"" + catalog + "\".tiny.region");
                }
            });
            return queries.build();
        }

        private void writeEtc(Path home, int port, Path plugins)
                throws IOException
        {
            Path etc = home.resolve("etc");
            Files.createDirectories(etc.resolve("catalog"));
            Map<String, String> config = new LinkedHashMap<>();
            config.put("coordinator", "true");
            config.put("node-scheduler.include-coordinator", "true");
            config.put("http-server.http.port", String.valueOf(port));
            config.put("discovery.uri", "http://127.0.0.1:" + port);
            config.put("http-server.process-forwarded", "true");
            // as in Trino's own TestingTrinoServer: a loaded test machine must not make the
            // coordinator declare its only node failed
            config.put("failure-detector.enabled", "false");
            config.put("plugin.dir", plugins.toString());
            config.put("query.max-memory", "512MB");
            config.put("query.max-memory-per-node", "512MB");
            properties.forEach((key, value) -> config.put(key, value.replace(ETC_DIRECTORY, etc.toAbsolutePath().toString())));
            write(etc.resolve("config.properties"), config);
            write(etc.resolve("node.properties"), ImmutableMap.of(
                    "node.environment", "test",
                    "node.id", name,
                    "node.internal-address", "127.0.0.1"));
            write(etc.resolve("log.properties"), ImmutableMap.of("io.trino", "INFO"));
            Files.writeString(etc.resolve("jvm.config"), String.join("\n", ImmutableList.of(
                    "-server",
                    "-Xmx" + heapSize,
                    "-XX:+UseG1GC",
                    "-XX:+ExitOnOutOfMemoryError",
                    "-XX:-OmitStackTraceInFastThrow",
                    "-XX:ReservedCodeCacheSize=256M",
                    "-XX:+EnableDynamicAgentLoading",
                    "-Djdk.attach.allowAttachSelf=true",
                    "-Dfile.encoding=UTF-8",
                    "--enable-native-access=ALL-UNNAMED")) + "\n");
            for (Map.Entry<String, Map<String, String>> catalog : catalogs.entrySet()) {
                write(etc.resolve("catalog").resolve(catalog.getKey() + ".properties"), catalog.getValue());
            }
            for (Map.Entry<String, String> file : etcFiles.entrySet()) {
                Path path = etc.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
        }

        private static void write(Path file, Map<String, String> properties)
                throws IOException
        {
            Files.writeString(file, properties.entrySet().stream()
                    .map(entry -> entry.getKey() + "=" + entry.getValue())
                    .collect(Collectors.joining("\n", "", "\n")));
        }
    }
}
