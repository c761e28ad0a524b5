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
package io.switchboard.benchmark;

import io.switchboard.benchmark.HttpBenchmark.WrkResult;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

final class TestHttpBenchmark
{
    @Test
    void parsesTheLineOfReportLua()
    {
        String output = """
                Running 6s test @ http://127.0.0.1:8080/v1/statement
                  2 threads and 16 connections
                switchboard-wrk requests=123456 duration_us=6001234 p50_us=410 p99_us=1234 errors=2
                """;
        assertThat(HttpBenchmark.parseWrkOutput(output)).contains(new WrkResult(123456, 6001234, 410, 1234, 2));
        assertThat(HttpBenchmark.parseWrkOutput("unable to connect to 127.0.0.1:1 Connection refused")).isEmpty();
    }

    @Test
    void stubBuildsNextUriFromForwardedHeaders()
            throws Exception
    {
        TrinoStub stub = new TrinoStub(0);
        stub.start();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stub.port() + "/v1/statement"))
                            .header("X-Forwarded-Proto", "http")
                            .header("X-Forwarded-Host", "127.0.0.1:9999")
                            .header("X-Forwarded-Prefix", "/cluster/stub")
                            .POST(HttpRequest.BodyPublishers.ofString("SELECT 1", UTF_8))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(UTF_8));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"nextUri\":\"http://127.0.0.1:9999/cluster/stub/v1/statement/queued/");
        }
        finally {
            stub.stop();
        }
    }
}
