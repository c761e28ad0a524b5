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

import io.airlift.configuration.validation.FileExists;
import io.airlift.units.Duration;
import jakarta.validation.constraints.AssertTrue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.testing.ValidationAssertions.assertFailsValidation;
import static io.airlift.testing.ValidationAssertions.assertValidates;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

final class TestHttpsConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(HttpsConfig.class)
                .setEnabled(false)
                .setPort(8443)
                .setBindAddress("0.0.0.0")
                .setKeystorePath(null)
                .setPrivateKeyPath(null)
                .setKeystorePassword(null)
                .setHttp2Enabled(true)
                .setRefreshPeriod(new Duration(1, MINUTES)));
    }

    @Test
    void explicitPropertyMappings()
            throws IOException
    {
        Path certificate = Files.createTempFile("tls", ".crt");
        Path key = Files.createTempFile("tls", ".key");
        try {
            assertFullMapping(
                    Map.of(
                            "http-server.https.enabled", "true",
                            "http-server.https.port", "9443",
                            "http-server.https.bind-address", "10.0.0.1",
                            "http-server.https.keystore.path", certificate.toString(),
                            "http-server.https.private-key.path", key.toString(),
                            "http-server.https.keystore.key", "secret",
                            "http-server.https.http2.enabled", "false",
                            "http-server.https.ssl-context.refresh-time", "10s"),
                    new HttpsConfig()
                            .setEnabled(true)
                            .setPort(9443)
                            .setBindAddress("10.0.0.1")
                            .setKeystorePath(certificate.toString())
                            .setPrivateKeyPath(key.toString())
                            .setKeystorePassword("secret")
                            .setHttp2Enabled(false)
                            .setRefreshPeriod(new Duration(10, SECONDS)));
        }
        finally {
            Files.delete(certificate);
            Files.delete(key);
        }
    }

    @Test
    void validation()
            throws IOException
    {
        Path certificate = Files.createTempFile("gateway", ".pem");
        try {
            assertValidates(new HttpsConfig());
            assertValidates(new HttpsConfig().setEnabled(true).setKeystorePath(certificate.toString()));
            assertFailsValidation(new HttpsConfig().setEnabled(true), "keystoreConfigured", "http-server.https.keystore.path must be set when http-server.https.enabled=true", AssertTrue.class);
            assertFailsValidation(new HttpsConfig().setEnabled(true).setKeystorePath("/nonexistent/tls.crt"), "keystorePath", "file does not exist: /nonexistent/tls.crt", FileExists.class);
        }
        finally {
            Files.delete(certificate);
        }
    }
}
