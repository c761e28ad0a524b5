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
import io.switchboard.plugin.events.EventWriter.WriterSettings;
import io.switchboard.store.history.QueryError;
import io.switchboard.store.history.QueryEvent;
import io.switchboard.store.history.QueryEventWriter;
import io.switchboard.store.history.QueryMetrics;
import io.switchboard.store.history.TableName;
import io.switchboard.testing.TestingMysql;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded load driver, not a test (surefire does not pick it up by itself): the sustained rate
 * at which the writer moves events into a real MariaDB, directly and when it replays the spool.
 * Run it with {@code ./mvnw -B -o -pl plugin-event-listener test -Dtest=BenchmarkEventWriter}.
 */
final class BenchmarkEventWriter
{
    private static final Logger log = Logger.get(BenchmarkEventWriter.class);
    private static final int QUERIES = 50_000;
    private static final int BATCH_SIZE = 500;
    private static final long TIMEOUT_MILLIS = 300_000;

    @Test
    void sustainedEventsPerSecond()
            throws Exception
    {
        List<QueryEvent> events = events(QUERIES);
        Path spoolDirectory = Files.createTempDirectory("switchboard-spool-");
        try (TestingMysql mysql = TestingMysql.startWithSchema()) {
            QueryEventStats stats = new QueryEventStats();
            EventBuffer buffer = new EventBuffer(events.size() + 1, stats);
            try (EventSpool spool = new EventSpool(spoolDirectory, Long.MAX_VALUE, stats)) {
                EventWriter writer = new EventWriter(buffer, spool, new QueryEventWriter(mysql.jdbi()),
                        () -> true, stats, new WriterSettings(BATCH_SIZE, 10, 200));
                long start = System.nanoTime();
                events.forEach(buffer::add);
                writer.start();
                long directNanos = awaitCount(stats::getWritten, events.size(), start);
                writer.stop(TIMEOUT_MILLIS);
                log.info("Direct writes: %s events in %s ms = %s events/s (batch size %s)", events.size(), directNanos / 1_000_000, rate(events.size(), directNanos), BATCH_SIZE);

                truncate(mysql);
                for (int from = 0; from < events.size(); from += BATCH_SIZE) {
                    spool.append(events.subList(from, Math.min(events.size(), from + BATCH_SIZE)));
                }
                EventWriter replayer = new EventWriter(new EventBuffer(1, stats), spool, new QueryEventWriter(mysql.jdbi()),
                        () -> true, stats, new WriterSettings(BATCH_SIZE, 10, 200));
                start = System.nanoTime();
                replayer.start();
                long replayNanos = awaitCount(stats::getReplayed, events.size(), start);
                replayer.stop(TIMEOUT_MILLIS);
                log.info("Spool replay: %s events in %s ms = %s events/s", events.size(), replayNanos / 1_000_000, rate(events.size(), replayNanos));
                assertThat(spool.isEmpty()).isTrue();
            }
        }
        finally {
            deleteRecursively(spoolDirectory, ALLOW_INSECURE);
        }
    }

    private static long awaitCount(LongSupplier counter, long expected, long startNanos)
            throws InterruptedException
    {
        while (counter.getAsLong() < expected) {
            if ((System.nanoTime() - startNanos) / 1_000_000 > TIMEOUT_MILLIS) {
                throw new AssertionError("only %s of %s events in %s ms".formatted(counter.getAsLong(), expected, TIMEOUT_MILLIS));
            }
            Thread.sleep(5);
        }
        return System.nanoTime() - startNanos;
    }

    private static long rate(long events, long nanos)
    {
        return events * 1_000_000_000L / nanos;
    }

    private static void truncate(TestingMysql mysql)
            throws Exception
    {
        try (Connection connection = mysql.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM query_tables");
            statement.execute("DELETE FROM queries");
        }
    }

    /**
     * A created and a completed event per query, with a 200-character query text and two tables.
     */
    private static List<QueryEvent> events(int queries)
    {
        Instant now = Instant.now();
        String text = "SELECT o.orderkey, sum(l.extendedprice) FROM orders o JOIN lineitem l ON o.orderkey = l.orderkey WHERE o.orderdate > DATE '1995-01-01' GROUP BY o.orderkey ORDER BY 2 DESC LIMIT 10 -- benchmark query";
        List<QueryEvent> events = new ArrayList<>(2 * queries);
        for (int i = 0; i < queries; i++) {
            String queryId = "20260101_000000_%05d_bench".formatted(i);
            events.add(new QueryEvent(queryId, "bench-1", "QUEUED", "user" + (i % 50), Optional.of("bench"), Optional.empty(), Optional.of("tpch"),
                    Optional.of("tiny"), Optional.of(text), Optional.empty(), now, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of()));
            Optional<QueryError> error = i % 10 == 0 ? Optional.of(new QueryError(9, "DIVISION_BY_ZERO", "USER_ERROR", Optional.of("Division by zero"))) : Optional.empty();
            events.add(new QueryEvent(queryId, "bench-1", error.isPresent() ? "FAILED" : "FINISHED", "user" + (i % 50), Optional.of("bench"), Optional.empty(),
                    Optional.of("tpch"), Optional.of("tiny"), Optional.of(text), Optional.of("global"), now, Optional.of(now), Optional.of(now.plusMillis(i % 1000)),
                    error, Optional.of(new QueryMetrics(1, i % 1000, 5, 1024, 100, 1000, 10, 100, 0)),
                    List.of(new TableName("tpch", "tiny", "orders"), new TableName("tpch", "tiny", "lineitem"))));
        }
        return events;
    }
}
