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
import jakarta.annotation.PreDestroy;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static com.google.common.base.Preconditions.checkArgument;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Comparator.comparingLong;
import static java.util.Objects.requireNonNull;

/**
 * An append-only spool of events on local disk, for when MySQL is slow or down: segment files
 * named in order, each a header (magic, format version) and a sequence of frames (length,
 * CRC-32, encoded event), fsynced per appended batch. A frame torn by a crash fails its CRC and
 * ends the segment. A segment that cannot be decoded is moved to {@value #QUARANTINE_DIRECTORY}
 * so that it never holds back the segments after it. Used by one thread.
 * When the spool would grow beyond its cap, the query texts of the oldest events go first; the
 * events themselves are always kept.
 * <p>
 * Format 1 ({@code segment-<sequence>.spool}) has no header: its frames start at the first byte.
 * Format 2 ({@code segment-<sequence>.seg}) was given another suffix so that a plugin from
 * before it, which would read its header as a torn frame and delete the segment, leaves it alone.
 */
final class EventSpool
        implements Closeable
{
    private static final Logger log = Logger.get(EventSpool.class);
    static final String QUARANTINE_DIRECTORY = "quarantine";
    static final int FORMAT_VERSION = 2;
    // "SBSP"; no format 1 segment starts with it, as that would be a frame of 1.4 GB
    static final int MAGIC = 0x53425350;
    private static final int HEADER_BYTES = 8;
    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".seg";
    private static final Pattern SEGMENT_NAME = Pattern.compile("segment-(\\d{19})\\.(seg|spool)");
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
                files.filter(EventSpool::isSegment).sorted(comparingLong(EventSpool::sequence)).forEach(segments::add);
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
        writeFully(channel, frames);
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

    /**
     * @throws IOException if the file cannot be read
     * @throws UndecodableSegmentException if it was read, but this plugin cannot decode it
     */
    List<QueryEvent> read(Path segment)
            throws IOException, UndecodableSegmentException
    {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(segment));
        skipHeader(buffer);
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
            events.add(decode(payload, buffer.position() - length - 8));
        }
        return events;
    }

    /**
     * Moves a segment that cannot be replayed out of the spool, into its quarantine directory, for
     * the operator. If it cannot be moved it stays where it is, skipped until the next start.
     */
    void quarantine(Path segment, String reason)
    {
        Path target = directory.resolve(QUARANTINE_DIRECTORY).resolve(segment.getFileName());
        segments.remove(segment);
        stats.quarantined();
        try {
            long size = Files.size(segment);
            Files.createDirectories(target.getParent());
            Files.move(segment, target);
            sizeBytes.addAndGet(-size);
        }
        catch (IOException e) {
            log.error(e, "Spool segment %s cannot be replayed (%s) nor moved to %s: skipping it until the next start. Its events are not in MySQL; move it there by hand",
                    segment, reason, target);
            return;
        }
        log.error("Spool segment %s cannot be replayed (%s): moved it to %s. Its events are not in MySQL. Once the cause is gone (a plugin version that reads it, "
                + "the file's permissions), move it back into %s and it is replayed (events already in MySQL are not written twice); otherwise keep it to report the problem, or delete it",
                segment, reason, target, directory);
    }

    /**
     * The segment leaves the spool even when its file cannot be deleted: its events are in MySQL,
     * and replaying them again at the next start changes nothing.
     */
    void delete(Path segment)
            throws IOException
    {
        segments.remove(segment);
        long size = Files.size(segment);
        Files.delete(segment);
        sizeBytes.addAndGet(-size);
    }

    @Override
    @PreDestroy
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
        List<QueryEvent> events;
        try {
            events = read(segment);
        }
        catch (UndecodableSegmentException e) {
            quarantine(segment, e.getMessage());
            return 0;
        }
        long withText = events.stream().filter(event -> event.queryText().isPresent()).count();
        if (withText == 0) {
            return 0;
        }
        byte[] frames = frames(events.stream().map(QueryEvent::withoutQueryText).toList());
        Path temporary = segment.resolveSibling(segment.getFileName() + ".tmp");
        long after;
        try (FileChannel channel = FileChannel.open(temporary, CREATE, WRITE)) {
            channel.truncate(0);
            // a segment keeps the format its name says
            if (segment.getFileName().toString().endsWith(SUFFIX)) {
                writeFully(channel, header());
            }
            writeFully(channel, frames);
            channel.force(false);
            after = channel.size();
        }
        long before = Files.size(segment);
        Files.move(temporary, segment, ATOMIC_MOVE, REPLACE_EXISTING);
        sizeBytes.addAndGet(after - before);
        return withText;
    }

    private FileChannel currentSegment()
            throws IOException
    {
        if (current == null) {
            Path segment = directory.resolve(PREFIX + "%019d".formatted(nextSequence++) + SUFFIX);
            current = FileChannel.open(segment, CREATE_NEW, WRITE, APPEND);
            segments.addLast(segment);
            writeFully(current, header());
            sizeBytes.addAndGet(HEADER_BYTES);
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

    private static void writeFully(FileChannel channel, byte[] bytes)
            throws IOException
    {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static byte[] header()
    {
        return ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(FORMAT_VERSION).array();
    }

    /**
     * Leaves the buffer at the first frame, after the header if there is one (format 2).
     */
    private static void skipHeader(ByteBuffer buffer)
            throws UndecodableSegmentException
    {
        if (buffer.remaining() < HEADER_BYTES || buffer.getInt(0) != MAGIC) {
            return;
        }
        int version = buffer.getInt(4);
        if (version != FORMAT_VERSION) {
            throw new UndecodableSegmentException("format version %s; this plugin reads versions 1 and %s".formatted(version, FORMAT_VERSION));
        }
        buffer.position(HEADER_BYTES);
    }

    private static QueryEvent decode(byte[] payload, int position)
            throws UndecodableSegmentException
    {
        try {
            return EventCodec.decode(payload);
        }
        catch (IOException | RuntimeException e) {
            throw new UndecodableSegmentException("the frame at byte %s has a valid checksum but does not decode: %s".formatted(position, e.getMessage()), e);
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
        return SEGMENT_NAME.matcher(path.getFileName().toString()).matches();
    }

    private static long sequence(Path segment)
    {
        Matcher matcher = SEGMENT_NAME.matcher(segment.getFileName().toString());
        checkArgument(matcher.matches(), "not a segment: %s", segment);
        return Long.parseLong(matcher.group(1));
    }
}
