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

import com.google.common.collect.ImmutableMap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * A real PrestoDB 0.287 coordinator (with the tpch catalog) in its own JVM. Its {@code lib/}
 * and {@code plugin/tpch/} come from Maven Central, assembled by the {@code prestodb-server}
 * module: PrestoDB's Guava, Jackson and Airlift must never meet the test's own on one class path.
 * <p>
 * PrestoDB 0.287 is built for Java 8. It runs on the build's JDK (17 or later) only with the two
 * changes the assembly and this class make: ASM 9.8 instead of the bundled 9.0 (which cannot read
 * the JDK's class files), and {@code --add-opens=java.base/java.lang=ALL-UNNAMED} (Guice's cglib).
 * {@link #close()} stops the process by its PID and deletes its files.
 */
public final class PrestoDbServer
        implements AutoCloseable
{
    private static final String ARTIFACTS_RESOURCE = "/io/switchboard/testing/prestodb-artifacts.properties";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private final String name;
    private final int port;
    private final Path home;
    private final Process process;
    private final Duration startTime;

    private PrestoDbServer(String name, int port, Path home, Process process, Duration startTime)
    {
        this.name = requireNonNull(name, "name is null");
        this.port = port;
        this.home = requireNonNull(home, "home is null");
        this.process = requireNonNull(process, "process is null");
        this.startTime = requireNonNull(startTime, "startTime is null");
    }

    /**
     * Starts a coordinator that also runs the tasks, on a free port, and waits until it answers a
     * query of its tpch catalog; the process is stopped and its files deleted if it does not.
     */
    public static PrestoDbServer start(String name)
    {
        return builder(name).start();
    }

    public static Builder builder(String name)
    {
        return new Builder(name);
    }

    public String name()
    {
        return name;
    }

    public URI baseUri()
    {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid()
    {
        return process.pid();
    }

    Path home()
    {
        return home;
    }

    public boolean isRunning()
    {
        return process.isAlive();
    }

    /**
     * From the start of the process until it answered a query of its tpch catalog.
     */
    public Duration startTime()
    {
        return startTime;
    }

    public String serverLog()
    {
        try {
            Path log = home.resolve("server.log");
            return Files.exists(log) ? Files.readString(log, UTF_8) : "";
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The PrestoDB CLI of the same version, an executable jar.
     */
    public static Path cliJar()
    {
        Artifacts artifacts = Artifacts.fromBuild();
        return existing(artifacts.artifactsDirectory().resolve("presto-cli-" + artifacts.version() + "-executable.jar"));
    }

    private void awaitStarted()
    {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PrestoDB server " + name + " exited with code " + process.exitValue() + "; log:\n" + tail(serverLog()));
            }
            // the coordinator announces its catalogs a moment after /v1/info says it started
            if (isStarted() && succeeds("SELECT count(*) FROM tpch.tiny.region")) {
                return;
            }
            Processes.sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException("PrestoDB server " + name + " did not start within " + START_TIMEOUT + "; log:\n" + tail(serverLog()));
    }

    private boolean isStarted()
    {
        return CoordinatorProbe.isStarted(baseUri());
    }

    private boolean succeeds(String query)
    {
        return CoordinatorProbe.succeeds(baseUri(), "X-Presto-User", query, Duration.ofSeconds(30));
    }

    /**
     * Stops the server (SIGTERM, then SIGKILL after 30 s) and deletes its files.
     */
    @Override
    public void close()
    {
        Processes.stop(process, Duration.ofSeconds(30));
        deleteQuietly(home);
    }

    private static PrestoDbServer launch(String name, int port, Path home, Artifacts artifacts)
    {
        long startNanos = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", artifacts.serverDirectory().resolve("lib") + "/*",
                    "-Xmx1G",
                    "-XX:+UseG1GC",
                    "-XX:+ExitOnOutOfMemoryError",
                    "-Djdk.attach.allowAttachSelf=true",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "-Dnode.environment=test",
                    "-Dnode.id=" + name,
                    "-Dnode.data-dir=" + home.resolve("data"),
                    "-Dnode.internal-address=127.0.0.1",
                    "-Dconfig=" + home.resolve("etc/config.properties"),
                    "-Dlog.levels-file=" + home.resolve("etc/log.properties"),
                    "com.facebook.presto.server.PrestoServer"))
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.log").toFile()))
                    .start();
        }
        catch (IOException e) {
            deleteQuietly(home);
            throw new UncheckedIOException(e);
        }
        // a test JVM that dies must not leave PrestoDB servers behind
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-prestodb-" + name));
        PrestoDbServer server = new PrestoDbServer(name, port, home, process, Duration.ZERO);
        try {
            server.awaitStarted();
        }
        catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return new PrestoDbServer(name, port, home, process, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /**
     * A PrestoDB coordinator with plugin zips unpacked into its own {@code plugin/} directory
     * (beside links to the server's plugins) and files under {@code etc/}, such as
     * {@code event-listener.properties} and {@code access-control.properties}, which PrestoDB
     * reads from its working directory.
     */
    public static final class Builder
    {
        private final String name;
        private final List<Path> pluginZips = new ArrayList<>();
        private final Map<String, String> etcFiles = new LinkedHashMap<>();

        private Builder(String name)
        {
            this.name = requireNonNull(name, "name is null");
        }

        public Builder withPluginZip(Path zip)
        {
            pluginZips.add(zip);
            return this;
        }

        public Builder withEtcFile(String relativePath, String content)
        {
            etcFiles.put(relativePath, content);
            return this;
        }

        /**
         * Starts the server and waits until it answers a query of its tpch catalog; the process is
         * stopped and its files deleted if it does not.
         */
        public PrestoDbServer start()
        {
            Artifacts artifacts = Artifacts.fromBuild();
            int port = TrinoServer.freePort();
            Path home;
            try {
                home = Files.createTempDirectory("switchboard-prestodb-" + name + "-");
                writeEtc(home, port, plugins(home, artifacts.serverDirectory()));
                for (Map.Entry<String, String> file : etcFiles.entrySet()) {
                    Files.writeString(home.resolve("etc").resolve(file.getKey()), file.getValue());
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return launch(name, port, home, artifacts);
        }

        private Path plugins(Path home, Path server)
                throws IOException
        {
            if (pluginZips.isEmpty()) {
                return server.resolve("plugin");
            }
            Path plugins = Files.createDirectories(home.resolve("plugin"));
            try (Stream<Path> builtIn = Files.list(server.resolve("plugin"))) {
                for (Path plugin : builtIn.toList()) {
                    Files.createSymbolicLink(plugins.resolve(plugin.getFileName()), plugin);
                }
            }
            for (Path zip : pluginZips) {
                Zips.unzip(zip, plugins);
            }
            return plugins;
        }
    }

    private static void writeEtc(Path home, int port, Path plugins)
            throws IOException
    {
        Path etc = home.resolve("etc");
        Files.createDirectories(etc.resolve("catalog"));
        Files.createDirectories(home.resolve("data"));
        write(etc.resolve("config.properties"), ImmutableMap.<String, String>builder()
                .put("coordinator", "true")
                .put("node-scheduler.include-coordinator", "true")
                .put("http-server.http.port", String.valueOf(port))
                .put("discovery-server.enabled", "true")
                .put("discovery.uri", "http://127.0.0.1:" + port)
                .put("plugin.dir", plugins.toString())
                .put("catalog.config-dir", etc.resolve("catalog").toString())
                .put("query.max-memory", "512MB")
                .put("query.max-memory-per-node", "256MB")
                .put("query.max-total-memory-per-node", "300MB")
                .put("shutdown.grace-period", "10s")
                .buildOrThrow());
        write(etc.resolve("log.properties"), Map.of("com.facebook.presto", "INFO"));
        write(etc.resolve("catalog/tpch.properties"), Map.of("connector.name", "tpch"));
    }

    private static void write(Path file, Map<String, String> properties)
            throws IOException
    {
        Files.writeString(file, properties.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
    }

    private static void deleteQuietly(Path home)
    {
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

    private static Path existing(Path path)
    {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " does not exist: build the prestodb-server and testing modules with Maven first");
        }
        return path;
    }

    private record Artifacts(String version, Path serverDirectory, Path artifactsDirectory)
    {
        static Artifacts fromBuild()
        {
            Properties properties = new Properties();
            try (InputStream input = PrestoDbServer.class.getResourceAsStream(ARTIFACTS_RESOURCE)) {
                requireNonNull(input, ARTIFACTS_RESOURCE + " is missing: build the testing module with Maven");
                properties.load(input);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Artifacts(
                    properties.getProperty("prestodb.version"),
                    existing(Paths.get(properties.getProperty("prestodb.server.directory"))),
                    Paths.get(properties.getProperty("prestodb.artifacts.directory")));
        }
    }
}
