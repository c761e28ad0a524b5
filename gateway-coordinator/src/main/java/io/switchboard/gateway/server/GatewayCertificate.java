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

import com.google.inject.Inject;
import io.airlift.log.Logger;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import static com.google.common.base.Preconditions.checkState;
import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static io.airlift.security.pem.PemReader.isPem;
import static io.airlift.security.pem.PemReader.loadKeyStore;
import static java.util.concurrent.Executors.newSingleThreadScheduledExecutor;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * The certificate of the HTTPS port, read from a PEM file (or a PEM certificate chain and a PEM
 * key) or a Java keystore, and read again when those files change: new connections get the new
 * certificate, open ones keep theirs. A file that cannot be read keeps the previous certificate in
 * service.
 */
public final class GatewayCertificate
{
    private static final Logger log = Logger.get(GatewayCertificate.class);

    private final Optional<SslContextFactory.Server> sslContextFactory;
    private final List<Path> files;
    private final Optional<String> password;
    private final Optional<Path> keystore;
    private final Optional<Path> privateKey;
    private final long refreshMillis;
    private byte[] digest;
    private ScheduledExecutorService refresher;

    @Inject
    public GatewayCertificate(HttpsConfig config)
    {
        password = config.getKeystorePassword();
        refreshMillis = config.getRefreshPeriod().toMillis();
        if (!config.isEnabled()) {
            sslContextFactory = Optional.empty();
            keystore = Optional.empty();
            privateKey = Optional.empty();
            files = List.of();
            return;
        }
        keystore = config.getKeystorePath().map(Path::of);
        privateKey = config.getPrivateKeyPath().map(Path::of);
        files = privateKey.isEmpty() ? List.of(keystore.orElseThrow()) : List.of(keystore.orElseThrow(), privateKey.get());
        SslContextFactory.Server factory = new SslContextFactory.Server();
        // the client picks the host name; one gateway often answers to several
        factory.setSniRequired(false);
        digest = digest();
        factory.setKeyStore(load());
        factory.setKeyStorePassword(password.orElse(""));
        factory.setKeyManagerPassword(password.orElse(""));
        sslContextFactory = Optional.of(factory);
    }

    public Optional<SslContextFactory.Server> sslContextFactory()
    {
        return sslContextFactory;
    }

    @PostConstruct
    public void start()
    {
        if (sslContextFactory.isPresent()) {
            refresher = newSingleThreadScheduledExecutor(daemonThreadsNamed("https-certificate-refresh"));
            refresher.scheduleWithFixedDelay(this::refresh, refreshMillis, refreshMillis, MILLISECONDS);
        }
    }

    @PreDestroy
    public void stop()
    {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /**
     * Reads the files again if they changed since they were last read.
     *
     * @return whether a new certificate is served
     */
    public synchronized boolean refresh()
    {
        checkState(sslContextFactory.isPresent(), "HTTPS is not enabled");
        try {
            byte[] current = digest();
            if (Arrays.equals(current, digest)) {
                return false;
            }
            KeyStore keyStore = load();
            sslContextFactory.get().reload(factory -> factory.setKeyStore(keyStore));
            digest = current;
            return true;
        }
        catch (IllegalArgumentException e) {
            // the message of a keystore error names the file and the fault, never the password
            log.error("%s; the previous certificate stays in service", e.getMessage());
            return false;
        }
        catch (UncheckedIOException e) {
            log.error("Cannot read the HTTPS certificate from %s: %s; the previous certificate stays in service", files, e.getCause());
            return false;
        }
        catch (Exception e) {
            // also keeps the periodic refresh scheduled: an exception would end it
            log.error(e, "Cannot use the HTTPS certificate from %s", files);
            return false;
        }
    }

    private KeyStore load()
    {
        File file = keystore.orElseThrow().toFile();
        try {
            KeyStore keyStore;
            if (privateKey.isPresent() || isPem(file)) {
                keyStore = loadKeyStore(file, privateKey.map(Path::toFile).orElse(file), password, true);
            }
            else {
                keyStore = KeyStore.getInstance(file, password.orElse("").toCharArray());
            }
            describe(keyStore);
            return keyStore;
        }
        catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the HTTPS certificate from " + files + ": " + e.getMessage(), e);
        }
    }

    private void describe(KeyStore keyStore)
            throws GeneralSecurityException
    {
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias) && keyStore.getCertificate(alias) instanceof X509Certificate certificate) {
                log.info("HTTPS certificate from %s: %s, serial %s, valid until %s",
                        keystore.orElseThrow(), certificate.getSubjectX500Principal().getName(), certificate.getSerialNumber().toString(16), certificate.getNotAfter().toInstant());
                return;
            }
        }
        throw new GeneralSecurityException("no private key with a certificate in it");
    }

    private byte[] digest()
    {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                sha256.update(Files.readAllBytes(file));
            }
            return sha256.digest();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
