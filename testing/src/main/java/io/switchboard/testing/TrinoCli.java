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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Trino CLI of the build, run as a user runs it.
 */
public final class TrinoCli
{
    private TrinoCli() {}

    /**
     * Runs one statement and returns its CSV output; fails the test unless the CLI succeeds.
     *
     * @param options more command line options, e.g. {@code --source airflow}
     */
    public static String execute(URI server, String user, List<String> options, String sql)
            throws IOException, InterruptedException
    {
        Result result = run(server, user, options, Map.of(), sql);
        assertThat(result.exitCode()).as("Trino CLI exit code; its errors: %s", result.errors()).isZero();
        return result.output();
    }

    /**
     * Runs one statement, successful or not.
     *
     * @param environment more environment variables, e.g. {@code TRINO_PASSWORD} for {@code --password}
     */
    public static Result run(URI server, String user, List<String> options, Map<String, String> environment, String sql)
            throws IOException, InterruptedException
    {
        List<String> command = command(server, user, options, sql);
        Path errors = Files.createTempFile("trino-cli", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output;
            try (InputStream stdout = process.getInputStream()) {
                output = new String(stdout.readAllBytes(), UTF_8);
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("The Trino CLI did not finish within 2 minutes");
            }
            return new Result(process.exitValue(), output, Files.readString(errors, UTF_8));
        }
        finally {
            Files.deleteIfExists(errors);
        }
    }

    /**
     * @param output what the CLI printed on standard output
     * @param errors what it printed on standard error
     */
    public record Result(int exitCode, String output, String errors)
    {
        public Result
        {
            requireNonNull(output, "output is null");
            requireNonNull(errors, "errors is null");
        }
    }

    /**
     * Runs one statement with the CLI's external authentication (OAuth2): the CLI prints the
     * login address, which is handed to the browser while the CLI polls for the token. Returns
     * the CSV output without the login lines; fails the test unless the CLI succeeds.
     *
     * @param options more command line options, e.g. a trust store
     */
    public static String executeWithExternalAuthentication(URI server, String user, List<String> options, String sql, Consumer<URI> browser)
            throws IOException, InterruptedException
    {
        List<String> withLogin = new ArrayList<>(options);
        withLogin.addAll(List.of("--external-authentication", "--external-authentication-redirect-handler", "PRINT"));
        List<String> command = command(server, user, withLogin, sql);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
            for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
                if (line.startsWith("External authentication required")) {
                    continue;
                }
                if (line.contains("/oauth2/token/initiate/")) {
                    browser.accept(URI.create(line.trim()));
                    continue;
                }
                output.append(line).append('\n');
            }
        }
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("Trino CLI exit code, output: %s", output).isZero();
        return output.toString();
    }

    private static List<String> command(URI server, String user, List<String> options, String sql)
    {
        Path cli = TrinoDistribution.fromBuild().cliJar();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", cli.toString(),
                "--server", server.toString(), "--user", user, "--output-format", "CSV"));
        command.addAll(options);
        command.addAll(List.of("--execute", sql));
        return command;
    }
}
