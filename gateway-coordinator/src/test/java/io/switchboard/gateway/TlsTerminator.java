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
package io.switchboard.gateway;

import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * A TLS-terminating load balancer in front of the gateway, as operators run one: HTTPS to the
 * clients with a self-signed certificate for 127.0.0.1, plain HTTP to the gateway with
 * {@code X-Forwarded-Proto/Host/Port} (the gateway trusts them with
 * {@code proxy.trust-forwarded-headers=true}).
 */
final class TlsTerminator
        implements AutoCloseable
{
    private static final String PASSWORD = "switchboard-test";

    private final Path directory;
    private final Server server;
    private final KeyStore trustStore;
    private final Path trustStorePath;

    TlsTerminator(URI backend)
    {
        requireNonNull(backend, "backend is null");
        try {
            directory = Files.createTempDirectory("switchboard-tls-");
            Path keyStorePath = directory.resolve("server.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                    "-storetype", "PKCS12", "-keystore", keyStorePath.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true)
                    .start();
            String output = new String(keytool.getInputStream().readAllBytes(), UTF_8);
            if (!keytool.waitFor(1, TimeUnit.MINUTES) || keytool.exitValue() != 0) {
                keytool.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStorePath)) {
                keyStore.load(in, PASSWORD.toCharArray());
            }
            trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("server", keyStore.getCertificate("server"));
            trustStorePath = directory.resolve("trust.p12");
            try (OutputStream out = Files.newOutputStream(trustStorePath)) {
                trustStore.store(out, PASSWORD.toCharArray());
            }

            server = new Server();
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(keyStorePath.toString());
            ssl.setKeyStorePassword(PASSWORD);
            ssl.setKeyStoreType("PKCS12");
            HttpConfiguration httpConfiguration = new HttpConfiguration();
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // clients reach it by IP address, for which they send no SNI
            secure.setSniHostCheck(false);
            httpConfiguration.addCustomizer(secure);
            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(httpConfiguration));
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(new ProxyHandler.Reverse(request -> HttpURI.build(backend)
                    .path(request.getHttpURI().getPath())
                    .query(request.getHttpURI().getQuery()))
            {
                @Override
                protected void addProxyHeaders(Request request, org.eclipse.jetty.client.Request proxyRequest)
                {
                    proxyRequest.headers(headers -> headers
                            .put("X-Forwarded-Proto", "https")
                            .put("X-Forwarded-Host", request.getHttpURI().getAuthority())
                            .put("X-Forwarded-Port", String.valueOf(Request.getLocalPort(request)))
                            .put("X-Forwarded-For", Request.getRemoteAddr(request)));
                }
            });
            server.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (Exception e) {
            throw new IllegalStateException("Cannot start the TLS terminator", e);
        }
    }

    URI baseUri()
    {
        return URI.create("https://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/");
    }

    /**
     * The JDBC URL of the gateway behind it, trusting its certificate.
     */
    String jdbcUrl()
    {
        return "jdbc:trino://127.0.0.1:" + baseUri().getPort() + "?SSL=true&SSLTrustStorePath=" + trustStorePath + "&SSLTrustStorePassword=" + PASSWORD + "&SSLTrustStoreType=PKCS12";
    }

    /**
     * The Trino CLI's options to trust its certificate.
     */
    List<String> cliOptions()
    {
        return List.of("--truststore-path", trustStorePath.toString(), "--truststore-password", PASSWORD, "--truststore-type", "PKCS12");
    }

    /**
     * What a browser that trusts its certificate uses.
     */
    SSLContext clientContext()
    {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close()
            throws Exception
    {
        server.stop();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
