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

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;

import static java.util.Objects.requireNonNull;

/**
 * A throw-away MariaDB with the schema applied, for the store's own tests (the testing module's
 * TestingMysql depends on this module, so it cannot serve here).
 */
public final class TestingStore
        implements AutoCloseable
{
    private final EmbeddedMysql mysql;
    private final HikariDataSource dataSource;

    private TestingStore(EmbeddedMysql mysql, HikariDataSource dataSource)
    {
        this.mysql = requireNonNull(mysql, "mysql is null");
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    public static TestingStore start()
    {
        EmbeddedMysql mysql = EmbeddedMysql.startTemporary("switchboard");
        HikariDataSource dataSource = MysqlDataSources.create(mysql.connection(), "test", 2);
        try {
            SchemaMigrations.apply(dataSource);
            return new TestingStore(mysql, dataSource);
        }
        catch (RuntimeException e) {
            try (mysql) {
                dataSource.close();
            }
            throw e;
        }
    }

    public DataSource dataSource()
    {
        return dataSource;
    }

    public MysqlConnection connection()
    {
        return mysql.connection();
    }

    @Override
    public void close()
    {
        // closes the pool, then stops the server
        try (mysql) {
            dataSource.close();
        }
    }
}
