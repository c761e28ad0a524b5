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
import io.switchboard.store.history.QueryEvent;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Objects.requireNonNull;

/**
 * An append-only spool of events on local disk, for when MySQL is slow or down: segment files
 * named in order, each a sequence of frames (length, CRC-32, encoded event), fsynced per
 * appended batch. A frame torn by a crash fails its CRC and ends the segment. Used by one thread.
 * When the spool would grow beyond its cap, the query texts of the oldest events go first; the
 * events themselves are always kept.
 */
final class EventSpool
        implements Closeable
{
    private static final Logger log = Logger.get(EventSpool.class);
    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".spool";
    private static final long SEGMENT_BYTES = 4L << 20;

    private final Path directory;
    private final long maxBytes;
    private final QueryEventStats stats;
    private final Deque<Path> segments = new ArrayDeque<>();
    private final AtomicLong sizeBytes = new AtomicLong();
    private long nextSequence;
    private FileChannel current;

    EventSpool(Path directory, long maxBytes, QueryEventStats stats)
    {
        this.directory = requireNonNull(directory, "directory is null");
        this.maxBytes = maxBytes;
        this.stats = requireNonNull(stats, "stats is null");
        try {
            Files.createDirectories(directory);
            try (Stream<Path> files = Files.list(directory)) {
                files.filter(EventSpool::isSegment).sorted().forEach(segments::add);
            }
            for (Path segment : segments) {
                sizeBytes.addAndGet(Files.size(segment));
            }
            nextSequence = segments.isEmpty() ? 1 : sequence(segments.getLast()) + 1;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot use spool directory " + directory, e);
        }
        if (!segments.isEmpty()) {
            log.info("Spool %s holds %s segments (%s bytes) from a previous run: replaying them when MySQL is reachable", directory, segments.size(), sizeBytes.get());
        }
    }

    boolean isEmpty()
    {
        return segments.isEmpty();
    }

    long sizeBytes()
    {
        return sizeBytes.get();
    }

    int segmentCount()
    {
        return segments.size();
    }

    /**
     * Appends the events and forces them to disk before returning.
     */
    void append(List<QueryEvent> events)
            throws IOException
    {
        byte[] frames = frames(events);
        if (sizeBytes.get() + frames.length > maxBytes) {
            makeRoom(frames.length);
            frames = frames(stripIfStillFull(events, frames.length));
        }
        FileChannel channel = currentSegment();
        ByteBuffer buffer = ByteBuffer.wrap(frames);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
        sizeBytes.addAndGet(frames.length);
        if (channel.size() >= SEGMENT_BYTES) {
            closeCurrent();
        }
    }

    /**
     * The oldest segment, closed for appending, if there is one.
     */
    Optional<Path> oldest()
            throws IOException
    {
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        if (segments.size() == 1 && current != null) {
            closeCurrent();
        }
        return Optional.of(segments.getFirst());
    }

    List<QueryEvent> read(Path segment)
            throws IOException
    {
        byte[] bytes = Files.readAllBytes(segment);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        List<QueryEvent> events = new ArrayList<>();
        while (buffer.remaining() >= 8) {
            int length = buffer.getInt();
            int checksum = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                log.warn("Spool segment %s ends in a torn frame at byte %s: ignoring its rest", segment, buffer.position() - 8);
                break;
            }
            byte[] payload = new byte[length];
            buffer.get(payload);
            if (crc(payload) != checksum) {
                log.warn("Spool segment %s has a corrupt frame at byte %s: ignoring its rest", segment, buffer.position() - length - 8);
                break;
            }
            events.add(EventCodec.decode(payload));
        }
        return events;
    }

    void delete(Path segment)
            throws IOException
    {
        long size = Files.size(segment);
        Files.delete(segment);
        segments.remove(segment);
        sizeBytes.addAndGet(-size);
    }

    @Override
    public void close()
            throws IOException
    {
        closeCurrent();
    }

    private void makeRoom(long needed)
            throws IOException
    {
        closeCurrent();
        long dropped = 0;
        for (Path segment : List.copyOf(segments)) {
            if (sizeBytes.get() + needed <= maxBytes) {
                break;
            }
            dropped += stripQueryTexts(segment);
        }
        if (dropped > 0) {
            stats.queryTextsDropped(dropped);
            log.warn("Spool %s reached its cap of %s bytes: dropped the query text of the %s oldest spooled events (the events are kept)", directory, maxBytes, dropped);
        }
    }

    private List<QueryEvent> stripIfStillFull(List<QueryEvent> events, long needed)
    {
        if (sizeBytes.get() + needed <= maxBytes) {
            return events;
        }
        long withText = events.stream().filter(event -> event.queryText().isPresent()).count();
        stats.queryTextsDropped(withText);
        log.warn("Spool %s is over its cap of %s bytes with no older query text left: storing %s events without query text (%s had one)",
                directory, maxBytes, events.size(), withText);
        return events.stream().map(QueryEvent::withoutQueryText).toList();
    }

    private long stripQueryTexts(Path segment)
            throws IOException
    {
        List<QueryEvent> events = read(segment);
        long withText = events.stream().filter(event -> event.queryText().isPresent()).count();
        if (withText == 0) {
            return 0;
        }
        byte[] frames = frames(events.stream().map(QueryEvent::withoutQueryText).toList());
        Path temporary = segment.resolveSibling(segment.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, CREATE, WRITE)) {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(frames));
            channel.force(false);
        }
        long before = Files.size(segment);
        Files.move(temporary, segment, ATOMIC_MOVE, REPLACE_EXISTING);
        sizeBytes.addAndGet(frames.length - before);
        return withText;
    }

    private FileChannel currentSegment()
            throws IOException
    {
        if (current == null) {
            Path segment = directory.resolve(PREFIX + "%019d".formatted(nextSequence++) + SUFFIX);
            current = FileChannel.open(segment, CREATE_NEW, WRITE, APPEND);
            segments.addLast(segment);
        }
        return current;
    }

    private void closeCurrent()
            throws IOException
    {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    private static byte[] frames(List<QueryEvent> events)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (QueryEvent event : events) {
                byte[] payload = EventCodec.encode(event);
                out.writeInt(payload.length);
                out.writeInt(crc(payload));
                out.write(payload);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static int crc(byte[] payload)
    {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return (int) crc.getValue();
    }

    private static boolean isSegment(Path path)
    {
        String name = path.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    private static long sequence(Path segment)
    {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }
}
