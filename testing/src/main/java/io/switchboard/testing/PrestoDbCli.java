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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PrestoDB 0.287 CLI ({@code presto-cli-0.287-executable.jar}), run as a user runs it.
 */
public final class PrestoDbCli
{
    private PrestoDbCli() {}

    public record Result(int exitCode, String output, String errors) {}

    /**
     * Runs one statement and returns its CSV output; fails the test unless the CLI succeeds.
     */
    public static String execute(URI server, String user, String sql)
            throws IOException, InterruptedException
    {
        Result result = run(server, user, sql);
        assertThat(result.exitCode()).as("PrestoDB CLI exit code; its errors: %s", result.errors()).isZero();
        return result.output();
    }

    /**
     * Runs one statement, successful or not.
     */
    public static Result run(URI server, String user, String sql)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", PrestoDbServer.cliJar().toString(),
                "--server", server.toString(), "--user", user, "--output-format", "CSV", "--execute", sql));
        Path errors = Files.createTempFile("presto-cli-", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(errors.toFile())
                    .start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try (InputStream stdout = process.getInputStream()) {
                    return new String(stdout.readAllBytes(), UTF_8);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("PrestoDB CLI did not finish within 3 minutes: " + command);
            }
            return new Result(process.exitValue(), output.join(), Files.readString(errors, UTF_8));
        }
        finally {
            Files.deleteIfExists(errors);
        }
    }
}
