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
package io.switchboard.plugin.router;

import io.airlift.bootstrap.LifeCycleManager;
import io.switchboard.store.SchemaMigrations;
import io.switchboard.store.plugin.SchemaGate;
import io.switchboard.store.status.ClusterStatusDao;
import io.switchboard.testing.InProcessTrino;
import io.switchboard.testing.LoggedMessages;
import io.switchboard.testing.TestingMysql;
import io.trino.testing.DistributedQueryRunner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.switchboard.plugin.router.TestingRouters.startRouter;
import static io.switchboard.store.status.ClusterState.ACTIVE;
import static io.switchboard.testing.Eventually.assertEventually;
import static java.util.logging.Level.INFO;
import static java.util.logging.Level.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router plugin never migrates the schema: against a database the gateway has not migrated
 * yet its heartbeat neither reads nor writes, it says so once, and it reports as soon as the
 * schema is there.
 */
final class TestRouterSchemaWait
{
    private static final String CLUSTER = "router-schema-wait-1";

    @Test
    void heartbeatWaitsForTheGatewayToMigrateTheSchema()
            throws Exception
    {
        try (TestingMysql mysql = TestingMysql.start();
                LoggedMessages gateLog = LoggedMessages.of(SchemaGate.class);
                LoggedMessages heartbeatLog = LoggedMessages.of(Heartbeat.class);
                DistributedQueryRunner trino = InProcessTrino.builder().start()) {
            Map<String, String> properties = Map.of(
                    "switchboard.cluster-name", CLUSTER,
                    "switchboard.mysql.url", mysql.jdbcUrl(),
                    "switchboard.mysql.user", mysql.connection().user(),
                    "switchboard.heartbeat-interval", "200ms");
            LifeCycleManager router = startRouter(properties, new DrainStateMachine(new RouterConfig()), new CoordinatorMetrics(trino.getCoordinator().getMbeanServer(), CoordinatorBeans.trino("476")));
            try {
                String required = SchemaMigrations.check(mysql.dataSource()).requiredVersion();
                assertEventually(Duration.ofSeconds(30), () -> assertThat(gateLog.at(WARNING)).isNotEmpty());
                // ten heartbeats more
                Thread.sleep(2_000);
                assertThat(gateLog.at(WARNING)).containsExactly(
                        ("The Switchboard database has no schema yet, and the router plugin of cluster %s needs schema version %s: " +
                                "start the gateway of this release (it migrates the schema when it starts) or run bin/switchboard migrate; " +
                                "until then the cluster reports no status to MySQL and reads no drain request from it (the drain file still works)").formatted(CLUSTER, required));
                assertThat(heartbeatLog.at(WARNING)).as("failures of reads and writes not attempted").isEmpty();
                assertThat(mysql.tableCount()).as("tables the router plugin created").isZero();

                // the gateway starts
                SchemaMigrations.apply(mysql.dataSource());
                ClusterStatusDao statuses = new ClusterStatusDao(mysql.jdbi());
                assertEventually(Duration.ofSeconds(30), () -> assertThat(statuses.get(CLUSTER)).hasValueSatisfying(status -> assertThat(status.report().state()).isEqualTo(ACTIVE)));
                assertThat(gateLog.at(WARNING)).hasSize(1);
                assertThat(gateLog.at(INFO)).containsExactly("The Switchboard database is at schema version %s now: the router plugin of cluster %s goes on".formatted(required, CLUSTER));
                assertThat(heartbeatLog.at(WARNING)).isEmpty();
            }
            finally {
                router.stop();
            }
        }
    }
}
