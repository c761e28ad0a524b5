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

import io.switchboard.store.SchemaMigrations;
import io.switchboard.testing.TestingMysql;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestMigrateSchema
{
    @Test
    void migratesTheDatabaseOfTheGatewayConfiguration()
    {
        try (TestingMysql mysql = TestingMysql.start()) {
            Map<String, String> gatewayProperties = Map.of(
                    "http-server.http.port", "8080",
                    "routing.default-group", "adhoc",
                    "database.url", mysql.jdbcUrl(),
                    "database.user", mysql.connection().user(),
                    "database.max-connections", "4");
            String required = SchemaMigrations.requiredVersion();

            assertThat(MigrateSchema.migrate(gatewayProperties))
                    .matches("Applied [1-9][0-9]* migrations to the Switchboard database at \\Q" + mysql.jdbcUrl() + "\\E: schema version " + required + ", was none");
            assertThat(SchemaMigrations.check(mysql.dataSource()).upToDate()).isTrue();

            assertThat(MigrateSchema.migrate(gatewayProperties))
                    .isEqualTo("Applied 0 migrations to the Switchboard database at %s: schema version %s, was %s", mysql.jdbcUrl(), required, required);
        }
    }

    @Test
    void refusesAGatewayWithAnEmbeddedMysql()
    {
        assertThatThrownBy(() -> MigrateSchema.migrate(Map.of("http-server.http.port", "8080")))
                .hasMessageStartingWith("database.url is not set");
    }
}
