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

import io.switchboard.store.history.QueryEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static io.switchboard.plugin.events.EventSpool.QUARANTINE_DIRECTORY;
import static io.switchboard.plugin.events.TestingSegments.PREVIOUS_FORMAT_EVENTS;
import static io.switchboard.plugin.events.TestingSegments.writePreviousFormat;
import static io.switchboard.plugin.events.TestingSegments.writeUndecodableFrame;
import static io.switchboard.plugin.events.TestingSegments.writeUnknownFormat;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

final class TestEventSpool
{
    private static final QueryEvent CREATED = PREVIOUS_FORMAT_EVENTS.get(0);
    private static final QueryEvent COMPLETED = PREVIOUS_FORMAT_EVENTS.get(1);

    private Path directory;
    private final QueryEventStats stats = new QueryEventStats();

    @BeforeEach
    void createDirectory()
            throws IOException
    {
        directory = Files.createTempDirectory("switchboard-spool-");
    }

    @AfterEach
    void deleteDirectory()
            throws IOException
    {
        deleteRecursively(directory, ALLOW_INSECURE);
    }

    @Test
    void segmentCarriesItsFormatVersion()
            throws Exception
    {
        try (EventSpool spool = new EventSpool(directory, 1 << 20, stats)) {
            spool.append(List.of(CREATED, COMPLETED));
            Path segment = spool.oldest().orElseThrow();
            assertThat(segment.getFileName().toString()).isEqualTo(TestingSegments.name(1, "seg"));
            ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(segment));
            assertThat(header.getInt()).isEqualTo(EventSpool.MAGIC);
            assertThat(header.getInt()).isEqualTo(2);
            assertThat(spool.read(segment)).containsExactly(CREATED, COMPLETED);
            assertThat(spool.sizeBytes()).isEqualTo(Files.size(segment));
        }
    }

    @Test
    void readsSegmentOfThePreviousFormat()
            throws Exception
    {
        Path previous = writePreviousFormat(directory, 7);
        try (EventSpool spool = new EventSpool(directory, 1 << 20, stats)) {
            spool.append(List.of(CREATED));
            assertThat(spool.segmentCount()).isEqualTo(2);
            assertThat(spool.oldest()).contains(previous);
            assertThat(spool.read(previous)).isEqualTo(PREVIOUS_FORMAT_EVENTS);
            spool.delete(previous);
            Path next = spool.oldest().orElseThrow();
            assertThat(next.getFileName().toString()).as("the sequence goes on after the previous run's").isEqualTo(TestingSegments.name(8, "seg"));
            assertThat(spool.read(next)).containsExactly(CREATED);
        }
    }

    @Test
    void capKeepsTheFormatOfAPreviousFormatSegment()
            throws Exception
    {
        Path previous = writePreviousFormat(directory, 1);
        try (EventSpool spool = new EventSpool(directory, Files.size(previous) + 100, stats)) {
            spool.append(List.of(CREATED.withoutQueryText()));
            assertThat(ByteBuffer.wrap(Files.readAllBytes(previous)).getInt()).as("first int of the segment").isNotEqualTo(EventSpool.MAGIC);
            assertThat(spool.read(previous)).isEqualTo(PREVIOUS_FORMAT_EVENTS.stream().map(QueryEvent::withoutQueryText).toList());
            assertThat(stats.getQueryTextsDropped()).isEqualTo(2);
        }
    }

    @Test
    void tornFrameEndsTheSegment()
            throws Exception
    {
        try (EventSpool spool = new EventSpool(directory, 1 << 20, stats)) {
            spool.append(List.of(CREATED));
            spool.append(List.of(COMPLETED));
            Path segment = spool.oldest().orElseThrow();
            try (FileChannel channel = FileChannel.open(segment, WRITE)) {
                channel.truncate(channel.size() - 10);
            }
            assertThat(spool.read(segment)).containsExactly(CREATED);
        }
    }

    @Test
    void crcErrorEndsTheSegment()
            throws Exception
    {
        try (EventSpool spool = new EventSpool(directory, 1 << 20, stats)) {
            spool.append(List.of(CREATED));
            spool.append(List.of(COMPLETED, CREATED));
            Path segment = spool.oldest().orElseThrow();
            byte[] bytes = Files.readAllBytes(segment);
            int secondPayload = 8 + 8 + EventCodec.encode(CREATED).length + 8;
            bytes[secondPayload + 20] ^= 0x55;
            Files.write(segment, bytes);
            assertThat(spool.read(segment)).containsExactly(CREATED);
        }
    }

    @Test
    void eventsAppendedAfterACrashThatToreAFrameAreNotLost()
            throws Exception
    {
        Path segment;
        try (EventSpool spool = new EventSpool(directory, 1 << 20, stats)) {
            spool.append(List.of(CREATED));
            spool.append(List.of(COMPLETED));
            segment = spool.oldest().orElseThrow();
        }
        // the crash left only 5 bytes of the second frame: not even its length and checksum
        try (FileChannel channel = FileChannel.open(segment, WRITE)) {
            channel.truncate(8 + 8 + EventCodec.encode(CREATED).length + 5);
        }

        QueryEvent afterRestart = withQueryText(COMPLETED, "SELECT 2");
        try (EventSpool spool = new EventSpool(directory, 1 << 20, stats)) {
            spool.append(List.of(afterRestart));
            assertThat(spool.segmentCount()).as("appends after the restart go to a segment of their own, not after the torn frame").isEqualTo(2);
            assertThat(readAll(spool)).containsExactly(CREATED, afterRestart);
        }
    }

    @Test
    void capDropsTheOldestQueryTextsAndKeepsTheEvents()
            throws Exception
    {
        List<QueryEvent> appended = new ArrayList<>();
        try (EventSpool spool = new EventSpool(directory, 10_000, stats)) {
            for (int i = 0; i < 5; i++) {
                QueryEvent event = withQueryText(CREATED, "SELECT %s, '%s'".formatted(i, "x".repeat(3_000)));
                spool.append(List.of(event));
                appended.add(event);
            }
            assertThat(spool.sizeBytes()).isLessThanOrEqualTo(10_000);
            List<QueryEvent> spooled = readAll(spool);
            assertThat(spooled).hasSize(5);
            assertThat(spooled.getFirst()).isEqualTo(appended.getFirst().withoutQueryText());
            assertThat(spooled.getLast()).isEqualTo(appended.getLast());
            assertThat(stats.getQueryTextsDropped()).isEqualTo(spooled.stream().filter(event -> event.queryText().isEmpty()).count()).isPositive();
        }
    }

    @Test
    void capKeepsAnEventWhoseQueryTextAloneExceedsItWithoutTheText()
            throws Exception
    {
        try (EventSpool spool = new EventSpool(directory, 1_000, stats)) {
            QueryEvent huge = withQueryText(CREATED, "SELECT '%s'".formatted("x".repeat(5_000)));
            spool.append(List.of(huge));
            spool.append(List.of(COMPLETED));
            assertThat(spool.sizeBytes()).isLessThanOrEqualTo(1_000);
            assertThat(stats.getQueryTextsDropped()).isEqualTo(1);
            assertThat(readAll(spool)).as("the event that fits keeps its text").containsExactly(huge.withoutQueryText(), COMPLETED);
        }
    }

    @Test
    void unknownFormatVersionIsQuarantined()
            throws Exception
    {
        Path unknown = writeUnknownFormat(directory, 1, 3);
        try (EventSpool spool = new EventSpool(directory, 1 << 20, stats)) {
            UndecodableSegmentException failure = catchThrowableOfType(UndecodableSegmentException.class, () -> spool.read(unknown));
            assertThat(failure).hasMessageContaining("format version 3");
            spool.quarantine(unknown, failure.getMessage());
            assertThat(unknown).doesNotExist();
            assertThat(directory.resolve(QUARANTINE_DIRECTORY).resolve(unknown.getFileName())).exists();
            assertThat(spool.isEmpty()).isTrue();
            assertThat(spool.sizeBytes()).isZero();
            assertThat(stats.getQuarantinedSegments()).isEqualTo(1);
        }
    }

    @Test
    void unknownRecordVersionWithAValidCrcIsUndecodable()
            throws Exception
    {
        byte[] payload = EventCodec.encode(COMPLETED);
        payload[0] = 9;
        Path segment = writeUndecodableFrame(directory, 1, payload);
        try (EventSpool spool = new EventSpool(directory, 1 << 20, stats)) {
            assertThatThrownBy(() -> spool.read(segment))
                    .isInstanceOf(UndecodableSegmentException.class)
                    .hasMessageContaining("Unknown spool record version 9");
        }
    }

    @Test
    void truncatedRecordWithAValidCrcIsUndecodable()
            throws Exception
    {
        byte[] payload = EventCodec.encode(COMPLETED);
        Path segment = writeUndecodableFrame(directory, 1, Arrays.copyOf(payload, payload.length / 2));
        try (EventSpool spool = new EventSpool(directory, 1 << 20, stats)) {
            assertThatThrownBy(() -> spool.read(segment)).isInstanceOf(UndecodableSegmentException.class);
        }
    }

    @Test
    void capQuarantinesAnUndecodableSegmentInsteadOfFailingEveryAppend()
            throws Exception
    {
        Path unknown = writeUnknownFormat(directory, 1, 3);
        try (EventSpool spool = new EventSpool(directory, 1_000, stats)) {
            QueryEvent event = withQueryText(CREATED, "x".repeat(800));
            spool.append(List.of(event));
            assertThat(unknown).doesNotExist();
            assertThat(stats.getQuarantinedSegments()).isEqualTo(1);
            assertThat(stats.getQueryTextsDropped()).as("the quarantined segment made room").isZero();
            assertThat(readAll(spool)).containsExactly(event);
        }
    }

    @Test
    void ignoresFilesThatAreNotSegments()
            throws Exception
    {
        Files.writeString(directory.resolve("segment-notanumber.spool"), "x");
        Files.createDirectories(directory.resolve(QUARANTINE_DIRECTORY));
        try (EventSpool spool = new EventSpool(directory, 1 << 20, stats)) {
            assertThat(spool.isEmpty()).isTrue();
        }
    }

    private static List<QueryEvent> readAll(EventSpool spool)
            throws Exception
    {
        List<QueryEvent> events = new ArrayList<>();
        for (Optional<Path> segment = spool.oldest(); segment.isPresent(); segment = spool.oldest()) {
            events.addAll(spool.read(segment.get()));
            spool.delete(segment.get());
        }
        return events;
    }

    private static QueryEvent withQueryText(QueryEvent event, String queryText)
    {
        return new QueryEvent(event.queryId(), event.clusterName(), event.state(), event.user(), event.source(), event.clientTags(), event.catalog(),
                event.schema(), Optional.of(queryText), event.resourceGroup(), event.createdAt(), event.startedAt(), event.endedAt(), event.error(),
                event.metrics(), event.tablesRead());
    }
}
