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

import com.zaxxer.hikari.HikariDataSource;
import io.airlift.bootstrap.Bootstrap;
import io.switchboard.store.MysqlConnection;
import io.switchboard.store.MysqlDataSources;
import io.switchboard.store.SchemaMigrations;
import io.switchboard.store.SchemaStatus;

import java.util.Map;

import static io.airlift.configuration.ConfigBinder.configBinder;
import static io.airlift.configuration.ConfigurationLoader.loadPropertiesFrom;

/**
 * {@code bin/switchboard migrate}: applies the schema migrations to the MySQL database of a
 * gateway configuration file, as the gateway does when it starts, and exits. For an upgrade
 * before any gateway is restarted, or to let the plugins write before a gateway ever ran: they
 * never migrate the schema themselves.
 */
public final class MigrateSchema
{
    private MigrateSchema() {}

    public static void main(String[] args)
    {
        if (args.length != 1) {
            System.err.println("usage: MigrateSchema <gateway configuration file>");
            System.exit(2);
        }
        try {
            System.out.println(migrate(loadPropertiesFrom(args[0])));
        }
        catch (Exception e) {
            System.err.println("error: cannot migrate the Switchboard schema: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * @param properties the gateway's configuration; only {@code database.*} is read
     * @return what was done, for the operator
     */
    static String migrate(Map<String, String> properties)
    {
        DatabaseConfig config = new Bootstrap(binder -> configBinder(binder).bindConfig(DatabaseConfig.class))
                .doNotInitializeLogging()
                .quiet()
                .setRequiredConfigurationProperties(Map.of())
                // optional: the gateway's other properties are not used here
                .setOptionalConfigurationProperties(properties)
                .initialize()
                .getInstance(DatabaseConfig.class);
        String url = config.getUrl().orElseThrow(() -> new IllegalArgumentException(
                "database.url is not set: the embedded MySQL of a gateway without one is migrated by that gateway when it starts"));
        MysqlConnection connection = new MysqlConnection(url, config.getUser(), config.getPassword());
        try (HikariDataSource dataSource = MysqlDataSources.create(connection, "switchboard-migrate", 1)) {
            SchemaStatus before = SchemaMigrations.check(dataSource);
            int applied = SchemaMigrations.apply(dataSource);
            SchemaStatus after = SchemaMigrations.check(dataSource);
            return "Applied %s migrations to the Switchboard database at %s: schema version %s, was %s".formatted(
                    applied, url, after.version().orElse("none"), before.version().orElse("none"));
        }
    }
}
