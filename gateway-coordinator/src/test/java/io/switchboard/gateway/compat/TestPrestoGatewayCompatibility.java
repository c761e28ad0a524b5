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
package io.switchboard.gateway.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.testing.TestingMysql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The presto-gateway walkthrough, run as its curl commands against the gateway port.
 */
@TestInstance(PER_CLASS)
final class TestPrestoGatewayCompatibility
{
    private TestingMysql mysql;
    private TestingGateway gateway;

    @BeforeAll
    void start()
    {
        mysql = TestingMysql.start();
        gateway = new TestingGateway(mysql, Map.of());
    }

    @AfterAll
    void stop()
    {
        try (TestingMysql closedLast = mysql; TestingGateway closedFirst = gateway) {
            // closes both
        }
    }

    @Test
    void walkthroughAddListDeactivateDelete()
    {
        String base = gateway.baseUri().toString();
        assertThat(curl("-X", "POST", base + "/entity?entityType=GATEWAY_BACKEND",
                "-d", "{\"name\": \"presto1\", \"proxyTo\": \"http://presto1.example.net\", \"active\": true, \"routingGroup\": \"adhoc\"}"))
                .startsWith("200");
        assertThat(curl("-X", "POST", base + "/entity?entityType=GATEWAY_BACKEND",
                "-d", "{\"name\": \"presto2\", \"proxyTo\": \"http://presto2.example.net\", \"active\": true, \"routingGroup\": \"adhoc\"}"))
                .startsWith("200");

        JsonNode backends = json(curl("-X", "GET", base + "/entity/GATEWAY_BACKEND"));
        assertThat(backends.size()).isEqualTo(2);
        assertThat(backends.get(0).get("name").asText()).isEqualTo("presto1");
        assertThat(backends.get(0).get("proxyTo").asText()).isEqualTo("http://presto1.example.net");
        assertThat(backends.get(0).get("externalUrl").asText()).isEqualTo("http://presto1.example.net");
        assertThat(backends.get(0).get("routingGroup").asText()).isEqualTo("adhoc");
        assertThat(backends.get(0).get("active").asBoolean()).isTrue();

        assertThat(curl("-X", "POST", base + "/gateway/backend/deactivate/presto2")).startsWith("200");
        JsonNode active = json(curl("-X", "GET", base + "/gateway/backend/active"));
        assertThat(active.size()).isEqualTo(1);
        assertThat(active.get(0).get("name").asText()).isEqualTo("presto1");
        assertThat(json(curl("-X", "GET", base + "/api/v1/clusters/presto2")).get("acceptingQueries").asBoolean()).isFalse();

        // the entity endpoint updates an existing backend
        assertThat(curl("-X", "POST", base + "/entity?entityType=GATEWAY_BACKEND",
                "-d", "{\"name\": \"presto2\", \"proxyTo\": \"http://presto2b.example.net\", \"active\": true, \"routingGroup\": \"etl\"}"))
                .startsWith("200");
        JsonNode updated = json(curl("-X", "GET", base + "/api/public/backends/presto2"));
        assertThat(updated.get("proxyTo").asText()).isEqualTo("http://presto2b.example.net");
        assertThat(updated.get("routingGroup").asText()).isEqualTo("etl");

        assertThat(curl("-X", "POST", "-d", "presto2", base + "/gateway/backend/modify/delete")).startsWith("200");
        assertThat(json(curl("-X", "GET", base + "/gateway/backend/all")).size()).isEqualTo(1);

        JsonNode audit = json(curl("-X", "GET", base + "/api/v1/audit?target=presto2"));
        List<String> actions = new ArrayList<>();
        audit.forEach(entry -> actions.add(entry.get("action").asText()));
        assertThat(actions).containsExactly("DELETE_CLUSTER", "UPDATE_CLUSTER", "DEACTIVATE_CLUSTER", "ADD_CLUSTER");
        assertThat(audit.get(0).get("actor").asText()).isEqualTo("anonymous");
        assertThat(audit.get(0).get("remoteAddress").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void modifyEndpointsAndTheirErrors()
    {
        String base = gateway.baseUri().toString();
        JsonNode added = json(curl("-X", "POST", "-H", "Content-Type: application/json", base + "/gateway/backend/modify/add",
                "-d", "{\"name\": \"trino-a\", \"proxyTo\": \"http://10.1.1.1:8080\", \"active\": false, \"routingGroup\": \"etl\", \"externalUrl\": \"https://trino-a.example.net\"}"));
        assertThat(added.get("externalUrl").asText()).isEqualTo("https://trino-a.example.net");
        assertThat(added.get("active").asBoolean()).isFalse();

        assertThat(curl("-X", "POST", base + "/gateway/backend/modify/add",
                "-d", "{\"name\": \"trino-a\", \"proxyTo\": \"http://10.1.1.1:8080\", \"routingGroup\": \"etl\"}"))
                .startsWith("409").contains("already exists");
        assertThat(curl("-X", "POST", base + "/gateway/backend/modify/update",
                "-d", "{\"name\": \"trino-a\", \"proxyTo\": \"http://10.1.1.2:8080\", \"active\": true, \"routingGroup\": \"etl\"}"))
                .startsWith("200");
        assertThat(curl("-X", "POST", base + "/gateway/backend/activate/trino-a")).startsWith("200");

        assertThat(curl("-X", "POST", base + "/gateway/backend/modify/add", "-d", "{\"proxyTo\": \"http://x:1\", \"routingGroup\": \"etl\"}"))
                .startsWith("400").contains("name is required");
        assertThat(curl("-X", "POST", base + "/gateway/backend/modify/add", "-d", "{\"name\": \"b\", \"proxyTo\": \"gopher://x:1\", \"routingGroup\": \"etl\"}"))
                .startsWith("400").contains("http:// or https://");
        assertThat(curl("-X", "POST", base + "/gateway/backend/modify/add", "-d", "{\"name\": \"b\", \"proxyTo\": \"http://x:1\", \"routingGroup\": \"etl\", \"color\": \"red\"}"))
                .startsWith("400").contains("color");
        assertThat(curl("-X", "POST", base + "/gateway/backend/modify/add", "-d", "{not json"))
                .startsWith("400").contains("Invalid JSON body (malformed JSON at line 1, column 2");
        assertThat(curl("-X", "POST", base + "/gateway/backend/deactivate/nope")).startsWith("404").contains("Unknown cluster 'nope'");
        assertThat(curl("-X", "POST", base + "/entity?entityType=RESOURCE_GROUP", "-d", "{}")).startsWith("400").contains("GATEWAY_BACKEND");

        // nothing invalid was stored
        assertThat(json(curl("-X", "GET", base + "/gateway/backend/all")).findValuesAsText("name")).doesNotContain("b");
    }

    /**
     * Runs curl and returns "STATUS BODY".
     */
    private static String curl(String... arguments)
    {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-w", "\n%{http_code}"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("curl did not finish: " + command);
            }
            int newline = output.lastIndexOf('\n');
            return output.substring(newline + 1) + " " + output.substring(0, Math.max(newline, 0));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String curlOutput)
    {
        assertThat(curlOutput).startsWith("200");
        try {
            return new ObjectMapper().readTree(curlOutput.substring(4));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
