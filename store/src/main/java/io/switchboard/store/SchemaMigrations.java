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
package io.switchboard.store;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

import static java.util.Objects.requireNonNull;

/**
 * Applies the Switchboard schema. Gateways, event listeners and router plugins all call this
 * at start-up: Flyway serializes concurrent runs with a database lock, and a schema that is
 * already current is left untouched.
 */
public final class SchemaMigrations
{
    static final String LOCATION = "classpath:io/switchboard/store/migration";

    private SchemaMigrations() {}

    /**
     * @return the number of migrations this call applied
     */
    public static int apply(DataSource dataSource)
    {
        requireNonNull(dataSource, "dataSource is null");
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table("schema_history")
                .failOnMissingLocations(true)
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
