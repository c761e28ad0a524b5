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

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import io.airlift.log.Logger;
import io.airlift.units.Duration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * The users of {@code security.password-file}, read again when the file changes (looked at no
 * more than once per refresh period; a file that cannot be used keeps the users read before), and
 * the passwords they signed in with, remembered until then: bcrypt costs milliseconds by design,
 * and each open console calls the API twice every three seconds. Only a successful check is
 * remembered, by a salted SHA-256 of the password, so wrong passwords keep paying bcrypt.
 */
public final class PasswordFileAuthenticator
{
    private static final Logger log = Logger.get(PasswordFileAuthenticator.class);

    private final Path file;
    private final long refreshNanos;
    private final long cacheSize;
    private final Ticker ticker;
    private final byte[] salt = new byte[16];
    private final AtomicLong bcryptChecks = new AtomicLong();

    private volatile Users users;
    private volatile long nextCheck;

    // the passwords verified against one reading of the file: a new reading starts an empty cache
    private record Users(PasswordFile file, FileVersion version, Cache<Credential, Role> verified) {}

    private record FileVersion(FileTime modified, long size, Object key) {}

    private record Credential(String user, HashCode password) {}

    public PasswordFileAuthenticator(Path file, Duration refreshPeriod, long cacheSize, Ticker ticker)
    {
        this.file = requireNonNull(file, "file is null");
        this.refreshNanos = refreshPeriod.roundTo(NANOSECONDS);
        this.cacheSize = cacheSize;
        this.ticker = requireNonNull(ticker, "ticker is null");
        new SecureRandom().nextBytes(salt);
        FileVersion version;
        try {
            version = version(file);
        }
        catch (IOException e) {
            throw new IllegalArgumentException("Cannot read security.password-file " + file + ": " + e.getMessage(), e);
        }
        this.users = read(version);
        this.nextCheck = ticker.read() + refreshNanos;
    }

    /**
     * @return the user's role if the password matches
     */
    public Optional<Role> authenticate(String user, String password)
    {
        Users current = refreshed();
        Credential credential = new Credential(user, Hashing.sha256().newHasher().putBytes(salt).putString(password, UTF_8).hash());
        Role known = current.verified().getIfPresent(credential);
        if (known != null) {
            return Optional.of(known);
        }
        bcryptChecks.incrementAndGet();
        Optional<Role> role = current.file().authenticate(user, password);
        role.ifPresent(verified -> current.verified().put(credential, verified));
        return role;
    }

    /**
     * How many passwords were checked with bcrypt, not found among those remembered.
     */
    public long bcryptChecks()
    {
        return bcryptChecks.get();
    }

    private Users refreshed()
    {
        if (ticker.read() - nextCheck < 0) {
            return users;
        }
        synchronized (this) {
            long now = ticker.read();
            if (now - nextCheck >= 0) {
                nextCheck = now + refreshNanos;
                reloadIfChanged();
            }
            return users;
        }
    }

    private void reloadIfChanged()
    {
        FileVersion version;
        try {
            version = version(file);
        }
        catch (IOException e) {
            log.error("Cannot read security.password-file %s, keeping the users read before: %s", file, e.getMessage());
            return;
        }
        if (version.equals(users.version())) {
            return;
        }
        try {
            users = read(version);
            log.info("Read security.password-file %s again: it changed", file);
        }
        catch (RuntimeException e) {
            // PasswordFile's messages name the line, never its content
            log.error("security.password-file %s changed but cannot be used, keeping the users read before: %s", file, e.getMessage());
        }
    }

    private Users read(FileVersion version)
    {
        return new Users(PasswordFile.load(file), version, CacheBuilder.newBuilder().maximumSize(cacheSize).build());
    }

    private static FileVersion version(Path file)
            throws IOException
    {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileVersion(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    }
}
