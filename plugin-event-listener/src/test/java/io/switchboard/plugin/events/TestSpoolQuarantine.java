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

import io.switchboard.testing.InProcessTrino;
import io.switchboard.testing.TestingMysql;
import io.trino.testing.DistributedQueryRunner;
import org.junit.jupiter.api.Test;

import javax.management.JMException;
import javax.management.ObjectName;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static io.switchboard.plugin.events.EventSpool.QUARANTINE_DIRECTORY;
import static io.switchboard.plugin.events.TestingListeners.awaitCompleted;
import static io.switchboard.plugin.events.TestingListeners.awaitCounter;
import static io.switchboard.plugin.events.TestingListeners.closeAll;
import static io.switchboard.plugin.events.TestingListeners.connect;
import static io.switchboard.plugin.events.TestingListeners.countCompleted;
import static io.switchboard.plugin.events.TestingListeners.run;
import static io.switchboard.plugin.events.TestingSegments.PREVIOUS_FORMAT_EVENTS;
import static io.switchboard.plugin.events.TestingSegments.PREVIOUS_QUERY_ID;
import static io.switchboard.plugin.events.TestingSegments.writePreviousFormat;
import static io.switchboard.plugin.events.TestingSegments.writeUndecodableFrame;
import static io.switchboard.plugin.events.TestingSegments.writeUnknownFormat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A coordinator starts with spool segments it cannot decode, or read: they are set aside, and the
 * events after them reach MySQL. An unreachable MySQL, by contrast, is retried: see {@link TestMysqlOutage}.
 */
final class TestSpoolQuarantine
{
    private static final String CLUSTER = "quarantine-1";

    @Test
    void undecodableSegmentsAreQuarantinedAndNewerEventsGoStraightToMysql()
            throws Exception
    {
        try (TestingMysql mysql = TestingMysql.startWithSchema()) {
            Path spool = Files.createTempDirectory("switchboard-spool-");
            Path unknownFormat = writeUnknownFormat(spool, 1, 3);
            byte[] unknownRecord = EventCodec.encode(PREVIOUS_FORMAT_EVENTS.getLast());
            unknownRecord[0] = 9;
            Path undecodable = writeUndecodableFrame(spool, 2, unknownRecord);
            writePreviousFormat(spool, 3);
            QueryEventListener listener = TestingListeners.create(CLUSTER, mysql, spool);
            DistributedQueryRunner trino = null;
            try {
                trino = InProcessTrino.builder().withEventListener(listener).start();
                String queryId;
                try (Connection connection = connect(trino, "quarantine")) {
                    queryId = run(connection, "SELECT count(*) FROM region");
                }
                awaitCompleted(mysql.dataSource(), List.of(queryId), Duration.ofSeconds(10));

                assertThat(listener.history().getStats().getSpooled()).as("events that waited in the spool instead of going to MySQL with their batch").isZero();
                // the counters move just after the rows they count are in MySQL
                assertThat(awaitCounter(listener.history().getStats()::getWritten, 2, Duration.ofSeconds(10))).isGreaterThanOrEqualTo(2);
                assertThat(listener.history().getStats().getQuarantinedSegments()).isEqualTo(2);
                assertThat(quarantinedOverJmx()).isEqualTo(2L);
                assertThat(awaitCounter(listener.history().getStats()::getReplayed, 2, Duration.ofSeconds(10))).as("events of the previous format's segment").isEqualTo(2);
                assertThat(countCompleted(mysql.dataSource(), List.of(PREVIOUS_QUERY_ID))).isEqualTo(1);
                assertThat(fileNames(spool.resolve(QUARANTINE_DIRECTORY))).containsExactlyInAnyOrder(unknownFormat.getFileName().toString(), undecodable.getFileName().toString());
                assertThat(fileNames(spool)).containsExactly(QUARANTINE_DIRECTORY);
            }
            finally {
                closeAll(trino, listener::shutdown, () -> deleteRecursively(spool, ALLOW_INSECURE));
            }
        }
    }

    @Test
    void segmentThatCannotBeReadIsQuarantinedAfterRetries()
            throws Exception
    {
        try (TestingMysql mysql = TestingMysql.startWithSchema()) {
            Path spool = Files.createTempDirectory("switchboard-spool-");
            // a directory fails every read, even for root
            Path unreadable = Files.createDirectory(spool.resolve(TestingSegments.name(1, "seg")));
            writePreviousFormat(spool, 2);
            QueryEventListener listener = TestingListeners.create("quarantine-2", mysql, spool);
            try {
                awaitCompleted(mysql.dataSource(), List.of(PREVIOUS_QUERY_ID), Duration.ofSeconds(30));
                assertThat(listener.history().getStats().getQuarantinedSegments()).isEqualTo(1);
                assertThat(awaitCounter(listener.history().getStats()::getReplayed, 2, Duration.ofSeconds(10))).isEqualTo(2);
                assertThat(fileNames(spool.resolve(QUARANTINE_DIRECTORY))).containsExactly(unreadable.getFileName().toString());
            }
            finally {
                closeAll(listener::shutdown, () -> deleteRecursively(spool, ALLOW_INSECURE));
            }
        }
    }

    private static Object quarantinedOverJmx()
            throws JMException
    {
        ObjectName name = new ObjectName("io.switchboard.plugin.events:type=QueryEvents,name=" + ObjectName.quote(CLUSTER));
        return ManagementFactory.getPlatformMBeanServer().getAttribute(name, "QuarantinedSegments");
    }

    private static List<String> fileNames(Path directory)
            throws Exception
    {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
