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

import io.switchboard.store.SchemaMigrations;
import io.switchboard.store.plugin.SchemaGate;
import io.switchboard.testing.InProcessTrino;
import io.switchboard.testing.LoggedMessages;
import io.switchboard.testing.TestingMysql;
import io.trino.testing.DistributedQueryRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static io.switchboard.plugin.events.TestingListeners.awaitCompleted;
import static io.switchboard.plugin.events.TestingListeners.awaitCounter;
import static io.switchboard.plugin.events.TestingListeners.closeAll;
import static io.switchboard.plugin.events.TestingListeners.connect;
import static io.switchboard.plugin.events.TestingListeners.run;
import static java.util.logging.Level.INFO;
import static java.util.logging.Level.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener never migrates the schema: against a database the gateway has not migrated yet
 * it writes nothing, says so once, keeps every event in its spool, and writes them all once the
 * schema is there.
 */
final class TestSchemaWait
{
    private static final String CLUSTER = "schema-wait-1";

    @Test
    void eventsWaitInTheSpoolUntilTheGatewayHasMigratedTheSchema()
            throws Exception
    {
        Path spool = Files.createTempDirectory("switchboard-spool-");
        TestingMysql mysql = TestingMysql.start();
        LoggedMessages logged = LoggedMessages.of(SchemaGate.class);
        QueryEventListener listener = TestingListeners.create(CLUSTER, mysql, spool);
        DistributedQueryRunner trino = null;
        try {
            trino = InProcessTrino.builder().withEventListener(listener).start();
            List<String> queryIds = new ArrayList<>();
            try (Connection connection = connect(trino, "early")) {
                for (int i = 0; i < 10; i++) {
                    queryIds.add(run(connection, "SELECT count(*) FROM region"));
                }
            }
            assertThat(awaitCounter(listener.history().getStats()::getSpooled, 20, Duration.ofSeconds(30))).isGreaterThanOrEqualTo(20);
            // several retries (every 200 ms here) find no schema
            assertThat(awaitCounter(listener.history().getStats()::getFailedWrites, 5, Duration.ofSeconds(30))).isGreaterThanOrEqualTo(5);

            assertThat(mysql.tableCount()).as("tables the listener created").isZero();
            assertThat(logged.at(WARNING)).containsExactly(
                    ("The Switchboard database has no schema yet, and the query event listener of cluster %s needs schema version %s: " +
                            "start the gateway of this release (it migrates the schema when it starts) or run bin/switchboard migrate; " +
                            "its events are kept in the spool until then").formatted(CLUSTER, SchemaMigrations.check(mysql.dataSource()).requiredVersion()));
            assertThat(logged.at(INFO)).isEmpty();
            assertThat(listener.history().getStats().getWritten()).isZero();

            // the gateway starts
            SchemaMigrations.apply(mysql.dataSource());
            awaitCompleted(mysql.dataSource(), queryIds, Duration.ofSeconds(60));
            assertThat(awaitCounter(listener.history().getStats()::getReplayed, 20, Duration.ofSeconds(30))).isGreaterThanOrEqualTo(20);
            try (Stream<Path> files = Files.list(spool)) {
                assertThat(files.filter(file -> file.getFileName().toString().startsWith("segment-"))).as("spool after replay").isEmpty();
            }
            assertThat(logged.at(WARNING)).hasSize(1);
            assertThat(logged.at(INFO)).singleElement().asString()
                    .startsWith("The Switchboard database is at schema version ")
                    .endsWith(" now: the query event listener of cluster " + CLUSTER + " goes on");

            // and later events go straight to MySQL
            long written = listener.history().getStats().getWritten();
            try (Connection connection = connect(trino, "late")) {
                awaitCompleted(mysql.dataSource(), List.of(run(connection, "SELECT count(*) FROM nation")), Duration.ofSeconds(60));
            }
            assertThat(awaitCounter(listener.history().getStats()::getWritten, written + 2, Duration.ofSeconds(30))).isGreaterThanOrEqualTo(written + 2);
        }
        finally {
            closeAll(trino, listener::shutdown, logged, mysql, () -> deleteRecursively(spool, ALLOW_INSECURE));
        }
    }
}
