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

import io.airlift.log.Logger;
import io.switchboard.testing.InProcessTrino;
import io.switchboard.testing.TestingMysql;
import io.trino.testing.DistributedQueryRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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
import static io.switchboard.plugin.events.TestingSegments.PREVIOUS_QUERY_ID;
import static io.switchboard.plugin.events.TestingSegments.writePreviousFormat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * MySQL goes away while Trino runs queries: nothing is lost, nothing is written twice, and Trino
 * does not notice.
 */
@TestInstance(PER_CLASS)
final class TestMysqlOutage
{
    private static final Logger log = Logger.get(TestMysqlOutage.class);
    private static final String QUERY = "SELECT count(*) FROM nation";

    private TestingMysql mysql;

    @BeforeAll
    void startMysql()
    {
        mysql = TestingMysql.startWithSchema();
    }

    @AfterAll
    void stopMysql()
    {
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void twoHundredQueriesDuringAnOutageAllArriveOnceAndTrinoIsNotSlowed()
            throws Exception
    {
        Path spool = Files.createTempDirectory("switchboard-spool-");
        QueryEventListener listener = TestingListeners.create("outage-1", mysql, spool);
        DistributedQueryRunner trino = null;
        try {
            trino = InProcessTrino.builder().withEventListener(listener).start();
            try (Connection connection = connect(trino, "outage")) {
                runQueries(connection, 20, new ArrayList<>());
                List<Long> normal = new ArrayList<>();
                List<String> normalIds = runQueries(connection, 200, normal);
                awaitCompleted(mysql.dataSource(), normalIds, Duration.ofSeconds(60));
                double listenerNormalNanos = listener.history().getStats().getListenerAverageNanos();

                mysql.stopServer();
                List<Long> outage = new ArrayList<>();
                List<String> outageIds = runQueries(connection, 200, outage);
                long spooledDuringOutage = awaitCounter(listener.history().getStats()::getSpooled, 400, Duration.ofSeconds(30));
                mysql.startServer();
                awaitCompleted(mysql.dataSource(), outageIds, Duration.ofSeconds(120));

                log.info("Query latency p50/p90/max ms: MySQL up %s, MySQL down %s; listener call average ns: %s before the outage, %s overall, max %s ns; spooled %s, replayed %s",
                        percentiles(normal), percentiles(outage), (long) listenerNormalNanos, (long) listener.history().getStats().getListenerAverageNanos(),
                        listener.history().getStats().getListenerMaxNanos(), listener.history().getStats().getSpooled(), listener.history().getStats().getReplayed());
                assertThat(outageIds).doesNotHaveDuplicates().hasSize(200);
                assertThat(spooledDuringOutage).isGreaterThanOrEqualTo(400);
                // a segment is counted once all its events are written and its file deleted: just after its rows show
                assertThat(awaitCounter(listener.history().getStats()::getReplayed, 400, Duration.ofSeconds(30))).isGreaterThanOrEqualTo(400);
                assertThat(listener.history().getStats().getListenerAverageNanos()).as("listener call time").isLessThan(1_000_000);
                assertThat(percentile(outage, 50)).as("median query latency during the outage").isLessThanOrEqualTo(2 * percentile(normal, 50) + 20);
            }
        }
        finally {
            closeAll(trino, listener::shutdown, () -> deleteRecursively(spool, ALLOW_INSECURE));
        }
    }

    @Test
    void coordinatorRestartDuringAnOutageLosesNothing()
            throws Exception
    {
        Path spool = Files.createTempDirectory("switchboard-spool-");
        try {
            List<String> queryIds;
            QueryEventListener first = TestingListeners.create("restart-1", mysql, spool);
            try (DistributedQueryRunner trino = InProcessTrino.builder().withEventListener(first).start();
                    Connection connection = connect(trino, "restart")) {
                mysql.stopServer();
                queryIds = runQueries(connection, 50, new ArrayList<>());
            }
            finally {
                first.shutdown();
            }
            try (Stream<Path> files = Files.list(spool)) {
                assertThat(files.filter(file -> file.getFileName().toString().startsWith("segment-"))).as("spool segments left by the stopped coordinator").isNotEmpty();
            }

            mysql.startServer();
            QueryEventListener second = TestingListeners.create("restart-1", mysql, spool);
            try {
                awaitCompleted(mysql.dataSource(), queryIds, Duration.ofSeconds(60));
                assertThat(awaitCounter(second.history().getStats()::getReplayed, 100, Duration.ofSeconds(30))).isGreaterThanOrEqualTo(100);
            }
            finally {
                second.shutdown();
            }
            try (Stream<Path> files = Files.list(spool)) {
                assertThat(files.filter(file -> file.getFileName().toString().startsWith("segment-"))).as("spool after replay").isEmpty();
            }
        }
        finally {
            deleteRecursively(spool, ALLOW_INSECURE);
        }
    }

    @Test
    void unreachableMysqlIsRetriedNotQuarantined()
            throws Exception
    {
        Path spool = Files.createTempDirectory("switchboard-spool-");
        Path segment = writePreviousFormat(spool, 1);
        mysql.stopServer();
        boolean stopped = true;
        QueryEventListener listener = TestingListeners.create("outage-spool-1", mysql, spool);
        try {
            assertThat(awaitCounter(listener.history().getStats()::getFailedWrites, 3, Duration.ofSeconds(30))).isGreaterThanOrEqualTo(3);
            assertThat(segment).exists();
            assertThat(listener.history().getStats().getQuarantinedSegments()).isZero();

            mysql.startServer();
            stopped = false;
            awaitCompleted(mysql.dataSource(), List.of(PREVIOUS_QUERY_ID), Duration.ofSeconds(60));
            assertThat(awaitCounter(listener.history().getStats()::getReplayed, 2, Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(listener.history().getStats().getQuarantinedSegments()).isZero();
        }
        finally {
            if (stopped) {
                mysql.startServer();
            }
            closeAll(listener::shutdown, () -> deleteRecursively(spool, ALLOW_INSECURE));
        }
    }

    private static List<String> runQueries(Connection connection, int count, List<Long> latenciesMillis)
            throws Exception
    {
        List<String> queryIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            queryIds.add(run(connection, QUERY));
            latenciesMillis.add((System.nanoTime() - start) / 1_000_000);
        }
        return queryIds;
    }

    private static String percentiles(List<Long> latencies)
    {
        return "%s/%s/%s".formatted(percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 100));
    }

    private static long percentile(List<Long> latencies, int percent)
    {
        List<Long> sorted = latencies.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
