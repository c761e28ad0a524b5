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

import io.switchboard.testing.LoggedMessages;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;

import static java.util.logging.Level.SEVERE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestGatewayCertificate
{
    @Test
    void replacedPemPairIsServedOnlyOnceKeyAndChainMatch()
            throws Exception
    {
        Path directory = Files.createTempDirectory("gateway-certificate");
        Path chain = directory.resolve("tls.crt");
        Path key = directory.resolve("tls.key");
        TestingCertificates first = TestingCertificates.generate("first");
        TestingCertificates second = TestingCertificates.generate("second");
        first.writeCertificate(chain);
        first.writePrivateKey(key);
        try (LoggedMessages logs = LoggedMessages.of(GatewayCertificate.class)) {
            GatewayCertificate certificate = new GatewayCertificate(new HttpsConfig()
                    .setEnabled(true)
                    .setKeystorePath(chain.toString())
                    .setPrivateKeyPath(key.toString()));
            assertThat(served(certificate)).isEqualTo(first.certificate());
            assertThat(certificate.refresh()).isFalse();

            // the new chain is written, the new key not yet
            second.writeCertificate(chain);
            assertThat(certificate.refresh()).isFalse();
            assertThat(served(certificate)).isEqualTo(first.certificate());
            assertThat(logs.at(SEVERE)).singleElement().asString()
                    .isEqualTo("Cannot read the HTTPS certificate from [" + chain + ", " + key + "]: Private key does not match the public key of any certificate; the previous certificate stays in service");

            second.writePrivateKey(key);
            assertThat(certificate.refresh()).isTrue();
            assertThat(served(certificate)).isEqualTo(second.certificate());
        }
        finally {
            for (Path file : new Path[] {chain, key, directory}) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void unreadableCertificateFailsAtStart()
            throws Exception
    {
        Path file = Files.createTempFile("gateway", ".pem");
        try {
            Files.writeString(file, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
            assertThatThrownBy(() -> new GatewayCertificate(new HttpsConfig().setEnabled(true).setKeystorePath(file.toString())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Cannot read the HTTPS certificate from [" + file + "]: ");
        }
        finally {
            Files.delete(file);
        }
    }

    private static Certificate served(GatewayCertificate certificate)
            throws Exception
    {
        KeyStore keyStore = certificate.sslContextFactory().orElseThrow().getKeyStore();
        return keyStore.getCertificate(Collections.list(keyStore.aliases()).getFirst());
    }
}
