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

import io.switchboard.store.history.QueryError;
import io.switchboard.store.history.QueryEvent;
import io.switchboard.store.history.QueryMetrics;
import io.switchboard.store.history.TableName;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Spool segments as other versions of the plugin, or a damaged disk, leave them.
 */
final class TestingSegments
{
    static final String PREVIOUS_QUERY_ID = "20260101_000000_00001_abcde";

    /**
     * The events of {@link #PREVIOUS_FORMAT_SEGMENT}.
     */
    static final List<QueryEvent> PREVIOUS_FORMAT_EVENTS = List.of(
            new QueryEvent(PREVIOUS_QUERY_ID, "previous-1", "QUEUED", "alice", Optional.of("cli"), Optional.empty(), Optional.of("tpch"), Optional.of("tiny"),
                    Optional.of("SELECT 1"), Optional.empty(), Instant.parse("2026-01-01T00:00:00.123456789Z"), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), List.of()),
            new QueryEvent(PREVIOUS_QUERY_ID, "previous-1", "FAILED", "alice", Optional.of("cli"), Optional.of("a,b"), Optional.of("tpch"), Optional.of("tiny"),
                    Optional.of("SELECT 1"), Optional.of("global"), Instant.parse("2026-01-01T00:00:00.123456789Z"),
                    Optional.of(Instant.parse("2026-01-01T00:00:01Z")), Optional.of(Instant.parse("2026-01-01T00:00:02Z")),
                    Optional.of(new QueryError(8, "DIVISION_BY_ZERO", "USER_ERROR", Optional.of("Division by zero"))),
                    Optional.of(new QueryMetrics(1, 2, 3, 4, 5, 6, 7, 8, 9)), List.of(new TableName("tpch", "tiny", "nation"))));

    /**
     * A segment written by the plugin before spool format 2 (commit c2c94e8): no header, frames from
     * the first byte, holding {@link #PREVIOUS_FORMAT_EVENTS}.
     */
    private static final String PREVIOUS_FORMAT_SEGMENT =
            "AAAAfvmm6QQBAAAAGzIwMjYwMTAxXzAwMDAwMF8wMDAwMV9hYmNkZQAAAApwcmV2aW91cy0xAAAABlFVRVVFRAAAAAVhbGljZQEAAAADY2xpAAEAAAAEdHBjaAEAAAAEdGlueQEAAAAIU0VMRUNUIDEAAAAAAGlVuQAHW80VAAAAAAAAAAAAAAFEuwaIqgEAAAAbMjAyNjAxMDFfMDAwMDAwXzAwMDAxX2FiY2RlAAAACnByZXZpb3VzLTEAAAAGRkFJTEVEAAAABWFsaWNlAQAAAANjbGkBAAAAA2EsYgEAAAAEdHBjaAEAAAAEdGlueQEAAAAIU0VMRUNUIDEBAAAABmdsb2JhbAAAAABpVbkAB1vNFQEAAAAAaVW5AQAAAAABAAAAAGlVuQIAAAAAAQAAAAgAAAAQRElWSVNJT05fQllfWkVSTwAAAApVU0VSX0VSUk9SAQAAABBEaXZpc2lvbiBieSB6ZXJvAQAAAAAAAAABAAAAAAAAAAIAAAAAAAAAAwAAAAAAAAAEAAAAAAAAAAUAAAAAAAAABgAAAAAAAAAHAAAAAAAAAAgAAAAAAAAACQAAAAEAAAAEdHBjaAAAAAR0aW55AAAABm5hdGlvbg==";

    private TestingSegments() {}

    static Path writePreviousFormat(Path spool, long sequence)
            throws IOException
    {
        return Files.write(spool.resolve(name(sequence, "spool")), Base64.getDecoder().decode(PREVIOUS_FORMAT_SEGMENT));
    }

    /**
     * A segment as a later plugin, with a format this one does not know, would write it.
     */
    static Path writeUnknownFormat(Path spool, long sequence, int formatVersion)
            throws IOException
    {
        byte[] header = ByteBuffer.allocate(8).putInt(EventSpool.MAGIC).putInt(formatVersion).array();
        return Files.write(spool.resolve(name(sequence, "seg")), concat(header, frame(EventCodec.encode(PREVIOUS_FORMAT_EVENTS.getFirst()))));
    }

    /**
     * A current segment whose frames have a correct CRC, but the second frame's payload is no event
     * this plugin can decode.
     */
    static Path writeUndecodableFrame(Path spool, long sequence, byte[] payload)
            throws IOException
    {
        byte[] header = ByteBuffer.allocate(8).putInt(EventSpool.MAGIC).putInt(EventSpool.FORMAT_VERSION).array();
        byte[] first = frame(EventCodec.encode(PREVIOUS_FORMAT_EVENTS.getFirst()));
        return Files.write(spool.resolve(name(sequence, "seg")), concat(concat(header, first), frame(payload)));
    }

    static String name(long sequence, String suffix)
    {
        return "segment-%019d.%s".formatted(sequence, suffix);
    }

    private static byte[] frame(byte[] payload)
    {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt((int) crc.getValue()).put(payload).array();
    }

    private static byte[] concat(byte[] first, byte[] second)
    {
        return ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();
    }
}
