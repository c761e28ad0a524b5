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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Properties;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Objects.requireNonNull;

/**
 * The Trino server tarball, the tpch and memory plugins and S3Proxy, as Maven resolved them for the
 * {@code testing} module, unpacked once into a cache directory and reused by every server.
 */
public final class TrinoDistribution
{
    private static final String ARTIFACTS_RESOURCE = "/io/switchboard/testing/trino-artifacts.properties";

    private final String version;
    private final String objectStoreVersion;
    private final Path artifactsDirectory;
    private final Path cacheDirectory;

    private TrinoDistribution(String version, String objectStoreVersion, Path artifactsDirectory, Path cacheDirectory)
    {
        this.version = requireNonNull(version, "version is null");
        this.objectStoreVersion = requireNonNull(objectStoreVersion, "objectStoreVersion is null");
        this.artifactsDirectory = requireNonNull(artifactsDirectory, "artifactsDirectory is null");
        this.cacheDirectory = requireNonNull(cacheDirectory, "cacheDirectory is null");
    }

    public static TrinoDistribution fromBuild()
    {
        Properties properties = new Properties();
        try (InputStream input = TrinoDistribution.class.getResourceAsStream(ARTIFACTS_RESOURCE)) {
            requireNonNull(input, ARTIFACTS_RESOURCE + " is missing: build the testing module with Maven");
            properties.load(input);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String cache = System.getenv("SWITCHBOARD_CACHE_DIR");
        Path cacheDirectory = cache != null ? Paths.get(cache) : Paths.get(System.getProperty("user.home"), ".cache", "switchboard");
        return new TrinoDistribution(
                properties.getProperty("trino.version"),
                properties.getProperty("s3proxy.version"),
                Paths.get(properties.getProperty("trino.artifacts.directory")),
                cacheDirectory);
    }

    TrinoDistribution withCacheDirectory(Path cacheDirectory)
    {
        return new TrinoDistribution(version, objectStoreVersion, artifactsDirectory, cacheDirectory);
    }

    public String version()
    {
        return version;
    }

    public Path cliJar()
    {
        return existing(artifactsDirectory.resolve("trino-cli-" + version + "-executable.jar"));
    }

    /**
     * S3Proxy with its dependencies, the object store for spooled results in tests.
     */
    public Path objectStoreJar()
    {
        return existing(artifactsDirectory.resolve("s3proxy-" + objectStoreVersion + "-jar-with-dependencies.jar"));
    }

    /**
     * The unpacked server with the tpch and memory plugins in its {@code plugin/} directory.
     */
    public Path installation()
    {
        Path installation = cacheDirectory.resolve("trino-server-" + version);
        if (Files.isDirectory(installation)) {
            return installation;
        }
        // the file lock keeps other processes out; threads of this JVM (servers started in parallel,
        // each with its own instance) must wait on the class, a second lock of the file throws
        synchronized (TrinoDistribution.class) {
            return unpackOnce(installation);
        }
    }

    private Path unpackOnce(Path installation)
    {
        try {
            Files.createDirectories(cacheDirectory);
            try (FileChannel channel = FileChannel.open(cacheDirectory.resolve("trino-server-" + version + ".lock"), CREATE, WRITE);
                    FileLock _ = channel.lock()) {
                if (!Files.isDirectory(installation)) {
                    unpack(installation);
                }
            }
            return installation;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void unpack(Path installation)
            throws IOException
    {
        Path staging = Files.createTempDirectory(cacheDirectory, "trino-server-" + version + ".staging-");
        run(List.of("tar", "-xzf", existing(artifactsDirectory.resolve("trino-server-core-" + version + ".tar.gz")).toString(), "-C", staging.toString()));
        Path server = staging.resolve("trino-server-core-" + version);
        for (String plugin : List.of("trino-tpch", "trino-memory")) {
            Zips.unzip(existing(artifactsDirectory.resolve(plugin + "-" + version + ".zip")), server.resolve("plugin"));
        }
        Files.move(server, installation, ATOMIC_MOVE);
        Files.delete(staging);
    }

    private static void run(List<String> command)
            throws IOException
    {
        Process process = new ProcessBuilder(command).inheritIO().start();
        try {
            int exitCode = process.waitFor();
            if (exitCode != 0) {
                throw new IOException("Command failed with exit code " + exitCode + ": " + command);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("Interrupted while running " + command, e);
        }
    }

    private static Path existing(Path path)
    {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " does not exist: run './mvnw -B install -DskipTests -pl testing -am' first");
        }
        return path;
    }
}
