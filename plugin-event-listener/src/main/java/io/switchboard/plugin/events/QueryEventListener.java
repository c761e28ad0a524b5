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
package io.switchboard.plugin.events;

import com.google.inject.Inject;
import com.zaxxer.hikari.HikariDataSource;
import io.airlift.log.Logger;
import io.switchboard.store.MysqlConnection;
import io.switchboard.store.MysqlDataSources;
import io.switchboard.store.SchemaMigrations;
import io.trino.spi.eventlistener.EventListener;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

public class QueryEventListener
        implements EventListener
{
    private static final Logger log = Logger.get(QueryEventListener.class);

    private final String clusterName;
    private final HikariDataSource dataSource;

    @Inject
    public QueryEventListener(QueryEventsConfig config)
    {
        requireNonNull(config, "config is null");
        this.clusterName = config.getClusterName();
        this.dataSource = MysqlDataSources.create(
                new MysqlConnection(config.getMysqlUrl(), config.getMysqlUser(), config.getMysqlPassword()),
                "switchboard-events",
                4,
                Duration.ofSeconds(5));
        SchemaMigrations.apply(dataSource);
        log.info("Switchboard query events for cluster %s go to %s", clusterName, config.getMysqlUrl());
    }

    @Override
    public void shutdown()
    {
        dataSource.close();
    }
}
