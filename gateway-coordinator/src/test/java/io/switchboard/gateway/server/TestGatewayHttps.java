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
package io.switchboard.gateway.server;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.testing.LoggedMessages;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoCli;
import io.switchboard.testing.TrinoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.net.ssl.SSLHandshakeException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.switchboard.gateway.server.TestingCertificates.servedCertificate;
import static io.switchboard.gateway.server.TestingCertificates.trusting;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static io.switchboard.testing.MemberClusters.memberCluster;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The gateway's HTTPS port in front of a real Trino 476 cluster with password authentication:
 * the cluster accepts passwords only on secure requests, and takes the gateway's word
 * ({@code X-Forwarded-Proto: https}) for it.
 */
@TestInstance(PER_CLASS)
final class TestGatewayHttps
{
    private static final String USER = "alice";
    private static final String PASSWORD = "correct horse battery staple";
    private static final String SQL = "SELECT current_user, (SELECT count(*) FROM tpch.tiny.nation)";

    private Path directory;
    private TestingCertificates gatewayCertificate;
    private Path trustedPem;
    private Path untrustedPem;
    private TestingMysql mysql;
    private TrinoServer trino;
    private TestingGateway gateway;

    @BeforeAll
    void start()
            throws Exception
    {
        directory = Files.createTempDirectory("gateway-https");
        // the certificate as cert-manager writes it: tls.crt and tls.key
        gatewayCertificate = TestingCertificates.generate("gateway");
        gatewayCertificate.writeCertificate(directory.resolve("tls.crt"));
        gatewayCertificate.writePrivateKey(directory.resolve("tls.key"));
        trustedPem = directory.resolve("tls.crt");
        untrustedPem = directory.resolve("other.crt");
        TestingCertificates.generate("impostor").writeCertificate(untrustedPem);

        Path passwordFile = directory.resolve("password.db");
        Files.writeString(passwordFile, USER + ":" + new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hashToChar(8, PASSWORD.toCharArray())) + "\n");

        mysql = TestingMysql.start();
        trino = memberCluster("secure", mysql)
                .withProperty("http-server.authentication.type", "PASSWORD")
                .withProperty("internal-communication.shared-secret", "internal-communication-test-secret")
                // user names without passwords on plain HTTP, for the harness's readiness probe and the plain port's test
                .withProperty("http-server.authentication.allow-insecure-over-http", "true")
                .withProperty("password-authenticator.config-files", TrinoServer.ETC_DIRECTORY + "/password-authenticator.properties")
                .withEtcFile("password-authenticator.properties", "password-authenticator.name=file\nfile.password-file=" + passwordFile + "\n")
                .start();
        gateway = new TestingGateway(mysql, Map.of(
                "gateway.id", "gateway-https",
                "http-server.https.enabled", "true",
                "http-server.https.port", "0",
                "http-server.https.bind-address", "127.0.0.1",
                "http-server.https.keystore.path", directory.resolve("tls.crt").toString(),
                "http-server.https.private-key.path", directory.resolve("tls.key").toString()));
        // the plain port stays on loopback, for the operator's API calls and health checks
        gateway.addCluster(trino, "adhoc");
    }

    @AfterAll
    void stop()
            throws Exception
    {
        closeAll(gateway, trino, mysql);
        if (directory != null) {
            try (var files = Files.walk(directory)) {
                files.sorted((left, right) -> right.compareTo(left)).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void jdbcRunsQueriesWithPasswordOverHttps()
            throws Exception
    {
        assertEventually(Duration.ofSeconds(20), () -> assertThat(uncheckedQuery(gateway.httpsUri(), trustedPem, PASSWORD)).isEqualTo(USER + " 25"));
    }

    @Test
    void jdbcWithWrongPasswordGetsTheClustersRefusal()
    {
        assertThatThrownBy(() -> jdbcQuery(gateway.httpsUri(), trustedPem, "wrong password"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access Denied: Invalid credentials");
    }

    @Test
    void jdbcRefusesAnUntrustedCertificate()
    {
        assertThatThrownBy(() -> jdbcQuery(gateway.httpsUri(), untrustedPem, PASSWORD))
                .isInstanceOf(SQLException.class)
                .hasStackTraceContaining(SSLHandshakeException.class.getName())
                .hasStackTraceContaining("unable to find valid certification path");
    }

    @Test
    void cliRunsQueriesWithPasswordOverHttps()
            throws Exception
    {
        TrinoCli.Result result = cli(trustedPem, PASSWORD);
        assertThat(result.exitCode()).as(result.errors()).isZero();
        assertThat(result.output()).isEqualTo("\"" + USER + "\",\"25\"\n");
    }

    @Test
    void cliWithWrongPasswordSaysSo()
            throws Exception
    {
        TrinoCli.Result result = cli(trustedPem, "wrong password");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.errors()).contains("Access Denied: Invalid credentials");
    }

    @Test
    void cliRefusesAnUntrustedCertificate()
            throws Exception
    {
        TrinoCli.Result result = cli(untrustedPem, PASSWORD);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.errors()).contains("unable to find valid certification path");
    }

    @Test
    void clusterBuildsHttpsUrisOfTheGatewayOverHttp2AndHttp1()
            throws Exception
    {
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(gatewayCertificate)).version(version).build();
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(gateway.httpsUri().resolve("/v1/statement"))
                            .header("X-Trino-User", USER)
                            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(UTF_8)))
                            .POST(HttpRequest.BodyPublishers.ofString("SELECT 1"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(version);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode results = TestingGateway.json(response.body());
            assertThat(results.get("nextUri").asText()).startsWith(gateway.httpsUri() + "/cluster/secure/v1/statement/");
            assertThat(results.get("infoUri").asText()).startsWith(gateway.httpsUri() + "/");
            // the rest of the query, on the URIs the cluster gave
            StringBuilder data = new StringBuilder();
            while (results.hasNonNull("nextUri")) {
                response = client.send(
                        HttpRequest.newBuilder(URI.create(results.get("nextUri").asText()))
                                .header("X-Trino-User", USER)
                                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(UTF_8)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                results = TestingGateway.json(response.body());
                if (results.has("data")) {
                    data.append(results.get("data"));
                }
            }
            assertThat(results.get("stats").get("state").asText()).isEqualTo("FINISHED");
            assertThat(data.toString()).isEqualTo("[[1]]");
        }
    }

    @Test
    void plainPortStillServesAndTheClusterTreatsItAsInsecure()
            throws Exception
    {
        assertThat(gateway.baseUri().getScheme()).isEqualTo("http");
        HttpResponse<String> response = TestingGateway.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/v1/statement"))
                .header("X-Trino-User", USER)
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1"))
                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestingGateway.json(response.body()).get("nextUri").asText()).startsWith(gateway.baseUri() + "/cluster/secure/v1/statement/");

        // the gateway does not claim a plain request was secure: the cluster refuses a password on it
        response = TestingGateway.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/v1/statement"))
                .header("X-Trino-User", USER)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1"))
                .build());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("Password not allowed for insecure authentication");
    }

    @Test
    void httpsOnlyGatewayOnTheLeanPathReloadsAReplacedKeystore()
            throws Exception
    {
        String keystorePassword = "keystore-password-never-logged";
        TestingCertificates first = TestingCertificates.generate("first");
        TestingCertificates second = TestingCertificates.generate("second");
        Path keystore = directory.resolve("gateway.p12");
        first.writePkcs12(keystore, keystorePassword);
        Path firstPem = directory.resolve("first.crt");
        Path secondPem = directory.resolve("second.crt");
        first.writeCertificate(firstPem);
        second.writeCertificate(secondPem);

        try (LoggedMessages logs = LoggedMessages.ofEveryLogger();
                TestingGateway httpsOnly = new TestingGateway(mysql, Map.of(
                        "gateway.id", "gateway-https-only",
                        "http-server.io-path", "LEAN",
                        "http-server.http.enabled", "false",
                        "http-server.https.enabled", "true",
                        "http-server.https.port", "0",
                        "http-server.https.bind-address", "127.0.0.1",
                        "http-server.https.keystore.path", keystore.toString(),
                        "http-server.https.keystore.key", keystorePassword,
                        "http-server.https.ssl-context.refresh-time", "1s"))) {
            URI uri = httpsOnly.httpsUri();
            assertThat(httpsOnly.baseUri()).isEqualTo(uri);
            assertThat(servedCertificate(uri, first, second)).isEqualTo(first.certificate());
            // the cluster registered through the other gateway, from the shared database
            assertEventually(Duration.ofSeconds(20), () -> assertThat(uncheckedQuery(uri, firstPem, PASSWORD)).isEqualTo(USER + " 25"));

            second.writePkcs12(keystore, keystorePassword);
            assertEventually(Duration.ofSeconds(10), () -> assertThat(uncheckedServedCertificate(uri, first, second)).isEqualTo(second.certificate()));
            assertThat(jdbcQuery(uri, secondPem, PASSWORD)).isEqualTo(USER + " 25");
            assertThatThrownBy(() -> jdbcQuery(uri, firstPem, PASSWORD))
                    .hasStackTraceContaining("unable to find valid certification path");

            // a broken file keeps the certificate in service
            Files.writeString(keystore, "not a keystore");
            assertEventually(Duration.ofSeconds(10), () -> assertThat(logs.all()).anyMatch(message -> message.startsWith("Cannot read the HTTPS certificate from [" + keystore + "]: ") && message.endsWith("; the previous certificate stays in service")));
            assertThat(servedCertificate(uri, second)).isEqualTo(second.certificate());

            assertThat(logs.all()).isNotEmpty().noneMatch(message -> message.contains(keystorePassword));
        }
    }

    private static String uncheckedQuery(URI gateway, Path trustStore, String password)
    {
        try {
            return jdbcQuery(gateway, trustStore, password);
        }
        catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static X509Certificate uncheckedServedCertificate(URI server, TestingCertificates... trusted)
    {
        try {
            return servedCertificate(server, trusted);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jdbcQuery(URI gateway, Path trustStore, String password)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", password);
        properties.setProperty("SSL", "true");
        properties.setProperty("SSLTrustStorePath", trustStore.toString());
        try (Connection connection = DriverManager.getConnection("jdbc:trino://127.0.0.1:" + gateway.getPort(), properties);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(SQL)) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getString(1) + " " + resultSet.getLong(2);
        }
    }

    private TrinoCli.Result cli(Path trustStore, String password)
            throws Exception
    {
        return TrinoCli.run(gateway.httpsUri(), USER, List.of("--truststore-path", trustStore.toString(), "--password"), Map.of("TRINO_PASSWORD", password), SQL);
    }
}
