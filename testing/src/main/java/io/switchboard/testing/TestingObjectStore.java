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
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static io.switchboard.testing.TrinoServer.freePort;
import static java.util.Objects.requireNonNull;

/**
 * An S3-compatible object store on 127.0.0.1: a real S3Proxy process keeping objects on the
 * local file system, with signed (AWS v2/v4) requests, for Trino's spooling protocol.
 * {@link #close()} stops the process and deletes the objects.
 */
public final class TestingObjectStore
        implements AutoCloseable
{
    public static final String ACCESS_KEY = "switchboard-testing";
    public static final String SECRET_KEY = "switchboard-testing-secret";
    public static final String REGION = "us-east-1";

    private final Path home;
    private final String bucket;
    private final int port;
    private final Process process;

    private TestingObjectStore(Path home, String bucket, int port, Process process)
    {
        this.home = requireNonNull(home, "home is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.port = port;
        this.process = requireNonNull(process, "process is null");
    }

    /**
     * Starts the store with one empty bucket and waits until it accepts connections.
     */
    public static TestingObjectStore start(String bucket)
    {
        try {
            Path home = Files.createTempDirectory("switchboard-s3-");
            Files.createDirectories(home.resolve("objects").resolve(bucket));
            int port = freePort();
            Path configuration = Files.writeString(home.resolve("s3proxy.properties"), """
                    s3proxy.endpoint=http://127.0.0.1:%s
                    s3proxy.authorization=aws-v2-or-v4
                    s3proxy.identity=%s
                    s3proxy.credential=%s
                    jclouds.provider=filesystem
                    jclouds.filesystem.basedir=%s
                    """.formatted(port, ACCESS_KEY, SECRET_KEY, home.resolve("objects")));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-Xmx256m", "-jar", TrinoDistribution.fromBuild().objectStoreJar().toString(), "--properties", configuration.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("s3proxy.log").toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-s3proxy"));
            TestingObjectStore store = new TestingObjectStore(home, bucket, port, process);
            store.awaitStarted(Duration.ofMinutes(1));
            return store;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String bucket()
    {
        return bucket;
    }

    /**
     * The objects stored under a prefix of the bucket, such as the segments a cluster spooled.
     */
    public long objectCount(String prefix)
    {
        Path directory = home.resolve("objects").resolve(bucket).resolve(prefix);
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).count();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitStarted(Duration timeout)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with code " + process.exitValue() + "; see " + home.resolve("s3proxy.log"));
            }
            try (Socket _ = new Socket("127.0.0.1", port)) {
                return;
            }
            catch (IOException e) {
                Processes.sleep(Duration.ofMillis(100));
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not start within " + timeout);
    }

    @Override
    public void close()
    {
        Processes.stop(process, Duration.ofSeconds(10));
        try {
            deleteRecursively(home, ALLOW_INSECURE);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
