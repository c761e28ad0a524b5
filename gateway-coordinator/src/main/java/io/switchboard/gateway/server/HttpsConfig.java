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

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.configuration.ConfigSecuritySensitive;
import io.airlift.configuration.validation.FileExists;
import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.Optional;

import static java.util.concurrent.TimeUnit.MINUTES;

/**
 * TLS on the gateway's own port, with Trino's property names: a coordinator's HTTPS settings
 * can be copied over as they are.
 */
public class HttpsConfig
{
    private boolean enabled;
    private int port = 8443;
    private String bindAddress = "0.0.0.0";
    private String keystorePath;
    private String privateKeyPath;
    private String keystorePassword;
    private boolean http2Enabled = true;
    private Duration refreshPeriod = new Duration(1, MINUTES);

    public boolean isEnabled()
    {
        return enabled;
    }

    @Config("http-server.https.enabled")
    @ConfigDescription("Serve HTTPS on http-server.https.port")
    public HttpsConfig setEnabled(boolean enabled)
    {
        this.enabled = enabled;
        return this;
    }

    @Min(0)
    @Max(65535)
    public int getPort()
    {
        return port;
    }

    @Config("http-server.https.port")
    @ConfigDescription("Port for HTTPS: the Trino protocol, the API and the console (0 picks a free port)")
    public HttpsConfig setPort(int port)
    {
        this.port = port;
        return this;
    }

    @NotNull
    public String getBindAddress()
    {
        return bindAddress;
    }

    @Config("http-server.https.bind-address")
    @ConfigDescription("Address the HTTPS port listens on")
    public HttpsConfig setBindAddress(String bindAddress)
    {
        this.bindAddress = bindAddress;
        return this;
    }

    public Optional<@FileExists String> getKeystorePath()
    {
        return Optional.ofNullable(keystorePath);
    }

    @Config("http-server.https.keystore.path")
    @ConfigDescription("The server certificate: a PEM file with the certificate chain (and the private key, unless http-server.https.private-key.path is set), or a JKS or PKCS #12 keystore")
    public HttpsConfig setKeystorePath(String keystorePath)
    {
        this.keystorePath = keystorePath;
        return this;
    }

    public Optional<@FileExists String> getPrivateKeyPath()
    {
        return Optional.ofNullable(privateKeyPath);
    }

    @Config("http-server.https.private-key.path")
    @ConfigDescription("PEM file with the private key, when the PEM file of http-server.https.keystore.path holds only the certificate chain (as tls.key beside tls.crt)")
    public HttpsConfig setPrivateKeyPath(String privateKeyPath)
    {
        this.privateKeyPath = privateKeyPath;
        return this;
    }

    public Optional<String> getKeystorePassword()
    {
        return Optional.ofNullable(keystorePassword);
    }

    @Config("http-server.https.keystore.key")
    @ConfigDescription("Password of the keystore, or of an encrypted PEM private key")
    @ConfigSecuritySensitive
    public HttpsConfig setKeystorePassword(String keystorePassword)
    {
        this.keystorePassword = keystorePassword;
        return this;
    }

    public boolean isHttp2Enabled()
    {
        return http2Enabled;
    }

    @Config("http-server.https.http2.enabled")
    @ConfigDescription("Offer HTTP/2 (ALPN) besides HTTP/1.1 to clients that support it")
    public HttpsConfig setHttp2Enabled(boolean http2Enabled)
    {
        this.http2Enabled = http2Enabled;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getRefreshPeriod()
    {
        return refreshPeriod;
    }

    @Config("http-server.https.ssl-context.refresh-time")
    @ConfigDescription("How often the certificate files are checked for changes; a changed certificate is served to new connections without a restart")
    public HttpsConfig setRefreshPeriod(Duration refreshPeriod)
    {
        this.refreshPeriod = refreshPeriod;
        return this;
    }

    @AssertTrue(message = "http-server.https.keystore.path must be set when http-server.https.enabled=true")
    public boolean isKeystoreConfigured()
    {
        return !enabled || keystorePath != null;
    }
}
