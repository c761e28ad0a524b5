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

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.airlift.testing.TestingTicker;
import io.airlift.units.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestPasswordFileAuthenticator
{
    private static final Duration REFRESH = new Duration(5, SECONDS);

    private final TestingTicker ticker = new TestingTicker();
    private Path file;

    @BeforeEach
    void createFile()
            throws IOException
    {
        file = Files.createTempFile("switchboard-passwords", ".txt");
        Files.writeString(file, "alice:%s:admin%n".formatted(hash("alice-secret")));
    }

    @AfterEach
    void deleteFile()
            throws IOException
    {
        Files.deleteIfExists(file);
    }

    @Test
    void aVerifiedPasswordIsRememberedAWrongOneNever()
    {
        PasswordFileAuthenticator authenticator = authenticator(1000);
        assertThat(authenticator.authenticate("alice", "alice-secret")).contains(Role.ADMIN);
        assertThat(authenticator.authenticate("alice", "alice-secret")).contains(Role.ADMIN);
        assertThat(authenticator.bcryptChecks()).isEqualTo(1);

        assertThat(authenticator.authenticate("alice", "guess")).isEmpty();
        assertThat(authenticator.authenticate("alice", "guess")).isEmpty();
        assertThat(authenticator.authenticate("mallory", "alice-secret")).isEmpty();
        assertThat(authenticator.bcryptChecks()).isEqualTo(4);

        PasswordFileAuthenticator uncached = authenticator(0);
        assertThat(uncached.authenticate("alice", "alice-secret")).contains(Role.ADMIN);
        assertThat(uncached.authenticate("alice", "alice-secret")).contains(Role.ADMIN);
        assertThat(uncached.bcryptChecks()).isEqualTo(2);
    }

    @Test
    void aChangedFileIsReadAgainOnceTheRefreshPeriodIsOver()
            throws IOException
    {
        PasswordFileAuthenticator authenticator = authenticator(1000);
        assertThat(authenticator.authenticate("alice", "alice-secret")).contains(Role.ADMIN);

        Files.writeString(file, "bob:%s%n".formatted(hash("bob-secret")));
        assertThat(authenticator.authenticate("bob", "bob-secret")).isEmpty();
        ticker.increment(5, SECONDS);
        assertThat(authenticator.authenticate("bob", "bob-secret")).contains(Role.VIEWER);
        // removed from the file: what was remembered of her goes with the old reading
        assertThat(authenticator.authenticate("alice", "alice-secret")).isEmpty();
    }

    @Test
    void aFileThatCannotBeUsedKeepsTheUsersReadBefore()
            throws IOException
    {
        PasswordFileAuthenticator authenticator = authenticator(1000);
        Files.writeString(file, "alice:not-a-bcrypt-hash:admin\n");
        ticker.increment(5, SECONDS);
        assertThat(authenticator.authenticate("alice", "alice-secret")).contains(Role.ADMIN);

        Files.delete(file);
        ticker.increment(5, SECONDS);
        assertThat(authenticator.authenticate("alice", "alice-secret")).contains(Role.ADMIN);

        Files.writeString(file, "alice:%s:viewer%n".formatted(hash("new-secret")));
        ticker.increment(5, SECONDS);
        assertThat(authenticator.authenticate("alice", "alice-secret")).isEmpty();
        assertThat(authenticator.authenticate("alice", "new-secret")).contains(Role.VIEWER);
    }

    @Test
    void aGatewayDoesNotStartWithAFileItCannotUse()
            throws IOException
    {
        Files.writeString(file, "alice:$2a$06$secret-hash-part:boss\n");
        assertThatThrownBy(() -> authenticator(1000))
                .hasMessage("security.password-file " + file + " line 1: role must be admin or viewer")
                .hasMessageNotContaining("secret-hash-part");
        Files.delete(file);
        assertThatThrownBy(() -> authenticator(1000)).hasMessageStartingWith("Cannot read security.password-file " + file);
    }

    private PasswordFileAuthenticator authenticator(long cacheSize)
    {
        return new PasswordFileAuthenticator(file, REFRESH, cacheSize, ticker);
    }

    private static String hash(String password)
    {
        return BCrypt.withDefaults().hashToString(6, password.toCharArray());
    }
}
