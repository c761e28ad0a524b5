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

import io.switchboard.store.history.QueryDetails;
import io.switchboard.store.history.QueryFilter;
import io.switchboard.store.history.QueryHistoryDao;
import io.switchboard.store.history.QuerySummary;
import io.switchboard.store.history.TableName;
import io.switchboard.testing.InProcessTrino;
import io.switchboard.testing.TestingMysql;
import io.trino.testing.DistributedQueryRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static io.switchboard.plugin.events.TestingListeners.closeAll;
import static io.switchboard.plugin.events.TestingListeners.connect;
import static io.switchboard.plugin.events.TestingListeners.run;
import static java.lang.management.ManagementFactory.getPlatformMBeanServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

@TestInstance(PER_CLASS)
final class TestQueryEventListener
{
    private static final String CLUSTER = "events-1";

    private TestingMysql mysql;
    private Path spool;
    private QueryEventListener listener;
    private DistributedQueryRunner trino;
    private QueryHistoryDao history;

    @BeforeAll
    void setUp()
            throws Exception
    {
        mysql = TestingMysql.startWithSchema();
        spool = Files.createTempDirectory("switchboard-spool-");
        listener = TestingListeners.create(CLUSTER, mysql, spool);
        trino = InProcessTrino.builder()
                .withEventListener(listener)
                .withSystemAccessControl(new TestingAccessControl())
                .start();
        history = new QueryHistoryDao(mysql.jdbi());
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        closeAll(trino, listener == null ? null : listener::shutdown, mysql, spool == null ? null : () -> deleteRecursively(spool, ALLOW_INSECURE));
    }

    @Test
    void finishedQuery()
            throws Exception
    {
        String sql = "SELECT r.name, count(*) FROM nation n JOIN region r ON n.regionkey = r.regionkey GROUP BY r.name";
        String queryId;
        try (Connection connection = connect(trino, "finisher")) {
            queryId = run(connection, sql);
        }
        QueryDetails query = completedRowOf("finisher");
        assertThat(query.queryId()).isEqualTo(queryId);
        assertThat(query.clusterName()).contains(CLUSTER);
        assertThat(query.state()).contains("FINISHED");
        assertThat(query.error()).isEmpty();
        assertThat(query.source()).contains("switchboard-test");
        assertThat(query.catalog()).contains("tpch");
        assertThat(query.schema()).contains("tiny");
        assertThat(query.queryText()).contains(sql);
        assertThat(query.createdAt().orElseThrow()).isBeforeOrEqualTo(query.startedAt().orElseThrow());
        assertThat(query.startedAt().orElseThrow()).isBeforeOrEqualTo(query.endedAt().orElseThrow());
        assertThat(query.metrics().orElseThrow().outputRows()).isEqualTo(5);
        assertThat(query.metrics().orElseThrow().inputRows()).isEqualTo(30);
        assertThat(query.metrics().orElseThrow().wallTimeMs()).isPositive();
        assertThat(query.tablesRead()).containsExactly(new TableName("tpch", "tiny", "nation"), new TableName("tpch", "tiny", "region"));
    }

    @Test
    void userError()
            throws Exception
    {
        try (Connection connection = connect(trino, "divider")) {
            assertThatThrownBy(() -> run(connection, "SELECT 10 / (regionkey - regionkey) FROM region")).hasMessageContaining("Division by zero");
        }
        assertFailed(completedRowOf("divider"), "DIVISION_BY_ZERO", "USER_ERROR", "Division by zero");
    }

    @Test
    void internalError()
            throws Exception
    {
        try (Connection connection = connect(trino, TestingAccessControl.BROKEN_USER)) {
            assertThatThrownBy(() -> run(connection, "SELECT 1")).isInstanceOf(SQLException.class);
        }
        assertFailed(completedRowOf(TestingAccessControl.BROKEN_USER), "GENERIC_INTERNAL_ERROR", "INTERNAL_ERROR", "access control broke down");
    }

    @Test
    void rejectedQuery()
            throws Exception
    {
        try (Connection connection = connect(trino, TestingAccessControl.REJECTED_USER)) {
            assertThatThrownBy(() -> run(connection, "SELECT 1")).hasMessageContaining("Access Denied");
        }
        assertFailed(completedRowOf(TestingAccessControl.REJECTED_USER), "PERMISSION_DENIED", "USER_ERROR", "does not take queries");
    }

    @Test
    void cancelledQuery()
            throws Exception
    {
        try (Connection connection = connect(trino, "canceller");
                Statement statement = connection.createStatement();
                ExecutorService executor = Executors.newSingleThreadExecutor()) {
            Future<?> running = executor.submit(() -> run(connection, "SELECT count(*) FROM tpch.sf100000.lineitem"));
            Thread.sleep(2_000);
            assertThat(running).isNotDone();
            statement.cancel();
            running.cancel(true);
        }
        assertFailed(completedRowOf("canceller"), "USER_CANCELED", "USER_ERROR", "");
    }

    @Test
    void countersAreExportedOverJmx()
            throws Exception
    {
        try (Connection connection = connect(trino, "jmx")) {
            run(connection, "SELECT 1");
        }
        completedRowOf("jmx");
        MBeanServer server = getPlatformMBeanServer();
        ObjectName name = objectName(CLUSTER);
        assertThat(Stream.of(server.getMBeanInfo(name).getAttributes()).map(MBeanAttributeInfo::getName)).contains(
                "Received", "Queued", "Written", "Spooled", "Replayed", "FailedWrites", "RejectedEvents", "QueryTextsDropped",
                "QuarantinedSegments", "SpoolBytes", "SpoolSegments", "ListenerAverageNanos", "ListenerMaxNanos");
        assertThat((Long) server.getAttribute(name, "Received")).isGreaterThanOrEqualTo(2);
        assertThat((Long) server.getAttribute(name, "Written")).isGreaterThanOrEqualTo(2);
        assertThat((Long) server.getAttribute(name, "FailedWrites")).isZero();
        assertThat((Long) server.getAttribute(name, "SpoolSegments")).isZero();
        assertThat((Double) server.getAttribute(name, "ListenerAverageNanos")).isPositive();
    }

    @Test
    void listenersOfTwoClustersExportSideBySideAndShutdownUnexports()
            throws Exception
    {
        MBeanServer server = getPlatformMBeanServer();
        Path otherSpool = Files.createTempDirectory("switchboard-spool-");
        try {
            for (int creation = 0; creation < 2; creation++) {
                QueryEventListener other = TestingListeners.create("events-2", mysql, otherSpool);
                try {
                    assertThat(server.isRegistered(objectName("events-2"))).isTrue();
                    assertThat(server.isRegistered(objectName(CLUSTER))).isTrue();
                }
                finally {
                    other.shutdown();
                }
                assertThat(server.isRegistered(objectName("events-2"))).as("unexported at shutdown").isFalse();
                assertThat(server.isRegistered(objectName(CLUSTER))).isTrue();
            }
        }
        finally {
            deleteRecursively(otherSpool, ALLOW_INSECURE);
        }
    }

    private static ObjectName objectName(String cluster)
            throws Exception
    {
        return new ObjectName("io.switchboard.plugin.events:type=QueryEvents,name=" + ObjectName.quote(cluster));
    }

    private static void assertFailed(QueryDetails query, String errorName, String errorType, String message)
    {
        assertThat(query.state()).contains("FAILED");
        assertThat(query.error().orElseThrow().name()).isEqualTo(errorName);
        assertThat(query.error().orElseThrow().type()).isEqualTo(errorType);
        assertThat(query.error().orElseThrow().message().orElse("")).contains(message);
        assertThat(query.endedAt()).isPresent();
        assertThat(query.metrics()).isPresent();
    }

    /**
     * The one row of the user's query, once it is complete.
     */
    private QueryDetails completedRowOf(String user)
            throws InterruptedException
    {
        QueryFilter filter = new QueryFilter(Optional.of(user), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        List<QuerySummary> rows = List.of();
        for (int attempt = 0; attempt < 300; attempt++) {
            rows = history.search(filter, 10, 0);
            if (rows.size() == 1 && rows.getFirst().endedAt().isPresent()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(rows).as("rows of user %s", user).hasSize(1);
        assertThat(rows.getFirst().endedAt()).as("query of user %s completed", user).isPresent();
        return history.get(rows.getFirst().queryId()).orElseThrow();
    }
}
