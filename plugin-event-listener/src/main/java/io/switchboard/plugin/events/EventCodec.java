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

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The binary form of a {@link QueryEvent} in a spool frame. The first byte is the record version;
 * the layout of the segment around the frames has a version of its own (see {@link EventSpool}).
 */
final class EventCodec
{
    private static final int VERSION = 1;

    private EventCodec() {}

    static byte[] encode(QueryEvent event)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + event.queryText().map(String::length).orElse(0));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeString(out, event.queryId());
            writeString(out, event.clusterName());
            writeString(out, event.state());
            writeString(out, event.user());
            writeOptional(out, event.source());
            writeOptional(out, event.clientTags());
            writeOptional(out, event.catalog());
            writeOptional(out, event.schema());
            writeOptional(out, event.queryText());
            writeOptional(out, event.resourceGroup());
            writeInstant(out, event.createdAt());
            writeOptionalInstant(out, event.startedAt());
            writeOptionalInstant(out, event.endedAt());
            writeError(out, event.error());
            writeMetrics(out, event.metrics());
            writeTables(out, event.tablesRead());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static QueryEvent decode(byte[] bytes)
            throws IOException
    {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("Unknown spool record version " + version);
        }
        return new QueryEvent(
                readString(in),
                readString(in),
                readString(in),
                readString(in),
                readOptional(in),
                readOptional(in),
                readOptional(in),
                readOptional(in),
                readOptional(in),
                readOptional(in),
                readInstant(in),
                readOptionalInstant(in),
                readOptionalInstant(in),
                readError(in),
                readMetrics(in),
                readTables(in));
    }

    private static void writeError(DataOutputStream out, Optional<QueryError> error)
            throws IOException
    {
        out.writeBoolean(error.isPresent());
        if (error.isPresent()) {
            out.writeInt(error.get().code());
            writeString(out, error.get().name());
            writeString(out, error.get().type());
            writeOptional(out, error.get().message());
        }
    }

    private static Optional<QueryError> readError(DataInputStream in)
            throws IOException
    {
        if (!in.readBoolean()) {
            return Optional.empty();
        }
        return Optional.of(new QueryError(in.readInt(), readString(in), readString(in), readOptional(in)));
    }

    private static void writeMetrics(DataOutputStream out, Optional<QueryMetrics> metrics)
            throws IOException
    {
        out.writeBoolean(metrics.isPresent());
        if (metrics.isPresent()) {
            QueryMetrics value = metrics.get();
            for (long number : new long[] {value.queuedTimeMs(), value.wallTimeMs(), value.cpuTimeMs(), value.peakMemoryBytes(),
                    value.inputRows(), value.inputBytes(), value.outputRows(), value.outputBytes(), value.writtenBytes()}) {
                out.writeLong(number);
            }
        }
    }

    private static Optional<QueryMetrics> readMetrics(DataInputStream in)
            throws IOException
    {
        if (!in.readBoolean()) {
            return Optional.empty();
        }
        return Optional.of(new QueryMetrics(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong(), in.readLong(), in.readLong()));
    }

    private static void writeTables(DataOutputStream out, List<TableName> tables)
            throws IOException
    {
        out.writeInt(tables.size());
        for (TableName table : tables) {
            writeString(out, table.catalog());
            writeString(out, table.schema());
            writeString(out, table.table());
        }
    }

    private static List<TableName> readTables(DataInputStream in)
            throws IOException
    {
        int count = in.readInt();
        if (count < 0 || count > 100_000) {
            throw new IOException("Invalid table count " + count);
        }
        List<TableName> tables = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tables.add(new TableName(readString(in), readString(in), readString(in)));
        }
        return tables;
    }

    private static void writeInstant(DataOutputStream out, Instant instant)
            throws IOException
    {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInputStream in)
            throws IOException
    {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void writeOptionalInstant(DataOutputStream out, Optional<Instant> instant)
            throws IOException
    {
        out.writeBoolean(instant.isPresent());
        if (instant.isPresent()) {
            writeInstant(out, instant.get());
        }
    }

    private static Optional<Instant> readOptionalInstant(DataInputStream in)
            throws IOException
    {
        return in.readBoolean() ? Optional.of(readInstant(in)) : Optional.empty();
    }

    private static void writeOptional(DataOutputStream out, Optional<String> value)
            throws IOException
    {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            writeString(out, value.get());
        }
    }

    private static Optional<String> readOptional(DataInputStream in)
            throws IOException
    {
        return in.readBoolean() ? Optional.of(readString(in)) : Optional.empty();
    }

    private static void writeString(DataOutputStream out, String value)
            throws IOException
    {
        byte[] bytes = value.getBytes(UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in)
            throws IOException
    {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("Invalid string length " + length);
        }
        return new String(in.readNBytes(length), UTF_8);
    }
}
