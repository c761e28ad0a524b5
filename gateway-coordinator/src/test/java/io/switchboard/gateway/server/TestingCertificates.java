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

import io.airlift.security.pem.PemWriter;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;

import static io.airlift.security.cert.CertificateBuilder.certificateBuilder;
import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * Self-signed server certificates for 127.0.0.1, written as an operator would get them.
 */
record TestingCertificates(X509Certificate certificate, KeyPair keyPair)
{
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    static TestingCertificates generate(String commonName)
    {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keyPair = generator.generateKeyPair();
            X500Principal subject = new X500Principal("CN=" + commonName);
            X509Certificate certificate = certificateBuilder()
                    .setKeyPair(keyPair)
                    .setSerialNumber(SERIAL.incrementAndGet())
                    .setIssuer(subject)
                    .setSubject(subject)
                    .setNotBefore(LocalDate.now().minusDays(1))
                    .setNotAfter(LocalDate.now().plusDays(30))
                    .addSanIpAddress(InetAddress.getByName("127.0.0.1"))
                    .addSanDnsName("localhost")
                    .buildSelfSigned();
            return new TestingCertificates(certificate, keyPair);
        }
        catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The certificate in PEM: what a client is given to trust.
     */
    void writeCertificate(Path file)
    {
        try {
            Files.writeString(file, PemWriter.writeCertificate(certificate), US_ASCII);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writePrivateKey(Path file)
    {
        try {
            Files.writeString(file, PemWriter.writePrivateKey(keyPair.getPrivate()), US_ASCII);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writePkcs12(Path file, String password)
    {
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("gateway", keyPair.getPrivate(), password.toCharArray(), new Certificate[] {certificate});
            keyStore.store(out, password.toCharArray());
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A client TLS context that trusts these certificates only.
     */
    static SSLContext trusting(TestingCertificates... trusted)
    {
        try {
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            for (TestingCertificates certificates : trusted) {
                trustStore.setCertificateEntry(certificates.certificate().getSerialNumber().toString(), certificates.certificate());
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        }
        catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The certificate a new connection to the server is shown, through a new TLS context (no
     * session of an earlier handshake is resumed).
     */
    static X509Certificate servedCertificate(URI server, TestingCertificates... trusted)
            throws IOException
    {
        try (SSLSocket socket = (SSLSocket) trusting(trusted).getSocketFactory().createSocket(server.getHost(), server.getPort())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
