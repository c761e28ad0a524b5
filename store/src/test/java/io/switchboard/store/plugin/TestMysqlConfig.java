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
package io.switchboard.store.plugin;

import io.airlift.units.Duration;
import io.airlift.units.MaxDuration;
import io.airlift.units.MinDuration;
import io.switchboard.store.MysqlConnection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.testing.ValidationAssertions.assertFailsValidation;
import static io.airlift.testing.ValidationAssertions.assertValidates;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

final class TestMysqlConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(MysqlConfig.class)
                .setUrl(null)
                .setUser("root")
                .setPassword("")
                .setConnectTimeout(new Duration(5, SECONDS))
                .setSocketTimeout(new Duration(5, SECONDS)));
    }

    @Test
    void explicitPropertyMappings()
    {
        Map<String, String> properties = Map.of(
                "switchboard.mysql.url", "jdbc:mysql://127.0.0.1:3306/switchboard",
                "switchboard.mysql.user", "trino",
                "switchboard.mysql.password", "secret",
                "switchboard.mysql.connect-timeout", "2s",
                "switchboard.mysql.socket-timeout", "30s");
        assertFullMapping(properties, new MysqlConfig()
                .setUrl("jdbc:mysql://127.0.0.1:3306/switchboard")
                .setUser("trino")
                .setPassword("secret")
                .setConnectTimeout(new Duration(2, SECONDS))
                .setSocketTimeout(new Duration(30, SECONDS)));
    }

    @Test
    void validation()
    {
        assertValidates(valid());
        assertFailsValidation(valid().setUrl(null), "url", "must not be null", NotNull.class);
        assertFailsValidation(valid().setUrl("jdbc:postgresql://db/switchboard"), "url", "must be a jdbc:mysql: URL", Pattern.class);
        assertFailsValidation(valid().setUser(null), "user", "must not be null", NotNull.class);
        assertFailsValidation(valid().setPassword(null), "password", "must not be null", NotNull.class);
        assertFailsValidation(valid().setConnectTimeout(new Duration(249, MILLISECONDS)), "connectTimeout", "must be greater than or equal to 250ms", MinDuration.class);
        assertFailsValidation(valid().setConnectTimeout(new Duration(61, SECONDS)), "connectTimeout", "must be less than or equal to 1m", MaxDuration.class);
        assertFailsValidation(valid().setSocketTimeout(new Duration(249, MILLISECONDS)), "socketTimeout", "must be greater than or equal to 250ms", MinDuration.class);
        assertFailsValidation(valid().setSocketTimeout(new Duration(61, MINUTES)), "socketTimeout", "must be less than or equal to 1h", MaxDuration.class);
    }

    @Test
    void connectionCarriesTheTimeouts()
    {
        MysqlConnection connection = valid()
                .setPassword("secret")
                .setConnectTimeout(new Duration(2, SECONDS))
                .setSocketTimeout(new Duration(30, SECONDS))
                .toConnection();
        assertThat(connection.jdbcUrl()).isEqualTo("jdbc:mysql://127.0.0.1:3306/switchboard");
        assertThat(connection.user()).isEqualTo("root");
        assertThat(connection.password()).isEqualTo("secret");
        assertThat(connection.connectTimeout()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(connection.socketTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(connection.toString()).doesNotContain("secret");
    }

    private static MysqlConfig valid()
    {
        return new MysqlConfig().setUrl("jdbc:mysql://127.0.0.1:3306/switchboard");
    }
}
