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

import com.zaxxer.hikari.HikariDataSource;
import io.airlift.log.Logger;
import jakarta.annotation.PreDestroy;

import static java.util.Objects.requireNonNull;

/**
 * A plugin's MySQL pool, closed when the plugin stops. Whatever uses the pool is created after
 * it, so Airlift's LifeCycleManager, which stops in the reverse order of creation, stops those
 * users first.
 */
final class MysqlPool
{
    private static final Logger log = Logger.get(MysqlPool.class);

    private final HikariDataSource dataSource;

    MysqlPool(HikariDataSource dataSource)
    {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        log.info("MySQL pool %s connects to %s", dataSource.getPoolName(), dataSource.getJdbcUrl());
    }

    HikariDataSource dataSource()
    {
        return dataSource;
    }

    @PreDestroy
    public void close()
    {
        dataSource.close();
    }
}
