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
package io.switchboard.gateway.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.testing.TestingMysql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.switchboard.gateway.TestingGateway.json;
import static io.switchboard.testing.Eventually.assertEventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules kept in a file for infrastructure as code: the gateway loads the file, follows its
 * changes, keeps the last good rules when an edit breaks it, and refuses changes through the API.
 */
final class TestRoutingRulesFile
{
    @Test
    void gatewayRoutesByTheFileAndFollowsIt(@TempDir Path directory)
            throws Exception
    {
        Path file = directory.resolve("routing-rules.yaml");
        Files.writeString(file, """
                rules:
                  - name: airflow
                    priority: 10
                    condition: source == 'airflow'
                    routingGroup: etl
                    queuePriority: 5
                    admissionClass: scheduled
                groups:
                  etl: {isolated: true}
                """);
        try (TestingMysql mysql = TestingMysql.start();
                TestingGateway gateway = new TestingGateway(mysql, Map.of("routing.rules-file", file.toString()))) {
            assertThat(group(gateway, "airflow")).isEqualTo("etl");
            JsonNode airflow = json(gateway.send("POST", "/api/v1/routing-rules/evaluate", "{\"headers\": {\"X-Trino-Source\": \"airflow\"}}").body());
            assertThat(airflow.path("queuePriority").asInt()).isEqualTo(5);
            assertThat(airflow.path("admissionClass").asText()).isEqualTo("scheduled");
            assertThat(json(gateway.send("GET", "/api/v1/routing-rules", null).body()).path("source").asText()).isEqualTo("file");

            // a trino-gateway file in its place
            Files.writeString(file, """
                    ---
                    name: "airflow"
                    condition: 'request.getHeader("X-Trino-Source") == "airflow"'
                    actions:
                      - 'result.put("routingGroup", "batch")'
                    """);
            assertEventually(Duration.ofSeconds(5), () -> assertThat(group(gateway, "airflow")).isEqualTo("batch"));

            // a broken edit: the last good rules stay
            Files.writeString(file, "rules: [{name: broken, priority: 1, condition: 'source ==', routingGroup: x}]");
            Thread.sleep(1500);
            assertThat(group(gateway, "airflow")).isEqualTo("batch");

            HttpResponse<String> refused = gateway.send("POST", "/api/v1/routing-rules", "{\"name\": \"r\", \"priority\": 1, \"condition\": \"true\", \"routingGroup\": \"etl\"}");
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(json(refused.body()).path("error").asText()).contains("routing.rules-file");
        }
    }

    private static String group(TestingGateway gateway, String source)
    {
        HttpResponse<String> response = gateway.send("POST", "/api/v1/routing-rules/evaluate", "{\"headers\": {\"X-Trino-Source\": \"" + source + "\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body()).path("routingGroup").asText();
    }
}
