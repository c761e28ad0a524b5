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
package io.switchboard.gateway.database;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;

final class TestDatabaseConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(DatabaseConfig.class)
                .setUrl(null)
                .setUser("root")
                .setPassword("")
                .setEmbeddedDataDirectory("var/mysql")
                .setMaxConnections(8));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(
                Map.of(
                        "database.url", "jdbc:mysql://db:3306/switchboard",
                        "database.user", "gateway",
                        "database.password", "secret",
                        "database.embedded.data-dir", "/data/mysql",
                        "database.max-connections", "4"),
                new DatabaseConfig()
                        .setUrl("jdbc:mysql://db:3306/switchboard")
                        .setUser("gateway")
                        .setPassword("secret")
                        .setEmbeddedDataDirectory("/data/mysql")
                        .setMaxConnections(4));
    }
}
