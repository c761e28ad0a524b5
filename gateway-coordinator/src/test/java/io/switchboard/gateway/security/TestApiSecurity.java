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
package io.switchboard.gateway.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.testing.TestingMysql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

@TestInstance(PER_CLASS)
final class TestApiSecurity
{
    private static final String CLUSTER = "{\"name\": \"secured\", \"proxyUrl\": \"http://10.9.9.9:8080\", \"routingGroup\": \"adhoc\"}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Path passwordFile;
    private TestingMysql mysql;
    private TestingGateway gateway;

    @BeforeAll
    void start()
            throws IOException
    {
        passwordFile = Files.createTempFile("switchboard-passwords", ".txt");
        Files.writeString(passwordFile, """
                # user:bcrypt-hash:role
                alice:%s:admin
                victor:%s:viewer
                """.formatted(hash("alice-secret"), hash("victor-secret")));
        mysql = TestingMysql.start();
        gateway = new TestingGateway(mysql, Map.of("security.password-file", passwordFile.toString(), "security.password-file.refresh-period", "0s"));
    }

    @AfterAll
    void stop()
            throws IOException
    {
        try (TestingMysql closedLast = mysql; TestingGateway closedFirst = gateway) {
            Files.deleteIfExists(passwordFile);
        }
    }

    @Test
    void adminsWriteViewersReadOthersNothing()
            throws Exception
    {
        assertThat(send("GET", "/api/v1/clusters", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrongPassword = send("GET", "/api/v1/clusters", "alice:nope", null);
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"Switchboard\"");
        // a script (the console) gets no challenge, so that the browser shows no password dialog of its own
        HttpResponse<String> scripted = HTTP.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/api/v1/clusters"))
                .header("X-Requested-With", "switchboard-console")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scripted.statusCode()).isEqualTo(401);
        assertThat(scripted.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(scripted.body()).contains("Authentication required");

        assertThat(send("GET", "/api/v1/clusters", "victor:victor-secret", null).statusCode()).isEqualTo(200);
        HttpResponse<String> viewerWrite = send("POST", "/api/v1/clusters", "victor:victor-secret", CLUSTER);
        assertThat(viewerWrite.statusCode()).isEqualTo(403);
        assertThat(viewerWrite.body()).contains("admin role");

        HttpResponse<String> adminWrite = send("POST", "/api/v1/clusters", "alice:alice-secret", CLUSTER);
        assertThat(adminWrite.statusCode()).isEqualTo(201);
        assertThat(adminWrite.body()).doesNotContain("alice-secret");

        HttpResponse<String> audit = send("GET", "/api/v1/audit?target=secured", "victor:victor-secret", null);
        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(audit.body()).contains("\"actor\":\"alice\"").contains("ADD_CLUSTER").doesNotContain("secret");

        // the presto-gateway calls are protected the same way
        assertThat(send("POST", "/gateway/backend/deactivate/secured", null, null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/gateway/backend/deactivate/secured", "victor:victor-secret", null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/gateway/backend/deactivate/secured", "alice:alice-secret", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aChangedPasswordFileIsReadAgainWithoutARestart()
            throws Exception
    {
        String before = Files.readString(passwordFile);
        try {
            assertThat(send("GET", "/api/v1/clusters", "olivia:olivia-secret", null).statusCode()).isEqualTo(401);
            Files.writeString(passwordFile, before + "olivia:%s:admin%n".formatted(hash("olivia-secret")));
            assertThat(send("GET", "/api/v1/clusters", "olivia:olivia-secret", null).statusCode()).isEqualTo(200);

            // a broken file keeps the users read before, and says nothing of its content
            Files.writeString(passwordFile, before + "olivia-without-a-hash\n");
            assertThat(send("GET", "/api/v1/clusters", "olivia:olivia-secret", null).statusCode()).isEqualTo(200);
        }
        finally {
            Files.writeString(passwordFile, before);
        }
        assertThat(send("GET", "/api/v1/clusters", "olivia:olivia-secret", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/clusters", "victor:victor-secret", null).statusCode()).isEqualTo(200);
    }

    @Test
    void everyEndpointNeedsAUserAndEveryChangeAnAdmin()
    {
        List<String> reads = List.of(
                "/api/v1/clusters",
                "/api/v1/clusters/secured",
                "/api/v1/clusters/secured/health-history",
                "/api/v1/queries",
                "/api/v1/queries/distribution",
                "/api/v1/queries/20260101_000000_00000_abcde",
                "/api/v1/audit",
                "/api/v1/routing-groups/adhoc/rolling-restart",
                "/api/v1/routing-rules",
                "/api/v1/routing-rules/some-rule",
                "/api/v1/routing-rules/export",
                "/api/v1/routing-rules/versions",
                "/api/v1/routing-rules/versions/1",
                "/api/v1/queue",
                "/api/v1/analytics/throughput",
                "/api/v1/analytics/latency",
                "/api/v1/analytics/success",
                "/api/v1/analytics/top-users",
                "/api/v1/analytics/slow-tables",
                "/api/v1/analytics/lost",
                "/entity",
                "/entity/GATEWAY_BACKEND",
                "/gateway/backend/all",
                "/gateway/backend/active",
                "/api/public/backends",
                "/api/public/backends/secured");
        for (String path : reads) {
            assertThat(send("GET", path, null, null).statusCode()).as("GET " + path + " without a user").isEqualTo(401);
            assertThat(send("GET", path, "victor:victor-secret", null).statusCode()).as("GET " + path + " by a viewer").isNotIn(401, 403);
        }
        List<String> changes = List.of(
                "POST /api/v1/clusters",
                "PUT /api/v1/clusters/secured",
                "DELETE /api/v1/clusters/secured",
                "POST /api/v1/clusters/secured/drain",
                "POST /api/v1/clusters/secured/activate",
                "POST /api/v1/routing-groups/adhoc/rolling-restart",
                "POST /api/v1/routing-rules",
                "PUT /api/v1/routing-rules/some-rule",
                "DELETE /api/v1/routing-rules/some-rule",
                "PUT /api/v1/routing-rules/groups/etl",
                "DELETE /api/v1/routing-rules/groups/etl",
                "POST /api/v1/routing-rules/import",
                "POST /api/v1/routing-rules/versions/1/rollback",
                "POST /api/v1/routing-rules/evaluate",
                "POST /entity?entityType=GATEWAY_BACKEND",
                "POST /gateway/backend/activate/secured",
                "POST /gateway/backend/deactivate/secured",
                "POST /gateway/backend/modify/add",
                "POST /gateway/backend/modify/update",
                "POST /gateway/backend/modify/delete");
        for (String change : changes) {
            String method = change.substring(0, change.indexOf(' '));
            String path = change.substring(change.indexOf(' ') + 1);
            assertThat(send(method, path, null, "{}").statusCode()).as(change + " without a user").isEqualTo(401);
            HttpResponse<String> byViewer = send(method, path, "victor:victor-secret", "{}");
            assertThat(byViewer.statusCode()).as(change + " by a viewer").isEqualTo(403);
            assertThat(byViewer.body()).contains("the admin role is needed");
        }
        // the console's files are open; the API calls they make are checked as above
        assertThat(send("GET", "/console", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void probesAndMetricsNeedNoUser()
    {
        assertThat(send("GET", "/livez", null, null).statusCode()).isEqualTo(200);
        // ready or not (another test here adds a cluster at an address nothing answers), said without a user
        HttpResponse<String> ready = send("GET", "/readyz", null, null);
        assertThat(ready.statusCode()).isIn(200, 503);
        assertThat(ready.body()).contains("\"acceptingClusters\"");
        HttpResponse<String> metrics = send("GET", "/metrics", null, null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("switchboard_requests_total").doesNotContain("secret").doesNotContain("10.9.9.9");
        // nothing there to write
        assertThat(send("POST", "/metrics", null, "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void metricsCanRequireAUser()
    {
        try (TestingGateway secured = new TestingGateway(mysql, Map.of(
                "security.password-file", passwordFile.toString(),
                "metrics.authentication-required", "true"))) {
            assertThat(secured.send("GET", "/metrics", null, Optional.empty()).statusCode()).isEqualTo(401);
            assertThat(secured.send("GET", "/metrics", null, Optional.of("victor:wrong")).statusCode()).isEqualTo(401);
            assertThat(secured.send("GET", "/metrics", null, Optional.of("victor:victor-secret")).statusCode()).isEqualTo(200);
            assertThat(secured.send("GET", "/livez", null, Optional.empty()).statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> send(String method, String path, String credentials, String body)
    {
        return gateway.send(method, path, body, Optional.ofNullable(credentials));
    }

    private static String hash(String password)
    {
        return BCrypt.withDefaults().hashToString(6, password.toCharArray());
    }
}
