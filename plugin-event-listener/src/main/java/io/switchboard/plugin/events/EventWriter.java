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
import io.switchboard.store.history.QueryEventWriter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static com.google.common.base.Throwables.getCausalChain;
import static com.google.common.collect.Lists.partition;
import static java.util.Objects.requireNonNull;

/**
 * The background thread that moves events from the in-memory queue to MySQL, in batches. When
 * MySQL fails, batches go to the spool, and every later batch follows them there until the spool
 * has been replayed, oldest segment first, so events reach MySQL in the order they arrived.
 * A database without the schema this plugin needs counts as an unreachable MySQL: events wait in
 * the spool until the gateway has migrated it.
 * A segment that cannot be decoded, or read, is quarantined rather than retried for good, so it
 * never holds back the events after it; an unreachable MySQL is retried for as long as it lasts.
 */
final class EventWriter
{
    private static final Logger log = Logger.get(EventWriter.class);
    // a file that cannot be read may heal (a disk hiccup), but must not hold back the spool for good
    private static final int READ_ATTEMPTS = 5;
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 60_000;

    private final EventBuffer buffer;
    private final EventSpool spool;
    private final QueryEventWriter mysql;
    private final BooleanSupplier schemaReady;
    private final QueryEventStats stats;
    private final int batchSize;
    private final long flushIntervalMillis;
    private final long retryIntervalMillis;
    private final Thread thread;

    private long lastFailureNanos;
    private boolean failing;
    private boolean waitingForSchema;
    private int readFailures;
    private List<QueryEvent> unsaved = List.of();

    /**
     * @param schemaReady whether MySQL has the schema the writer needs; it throws when MySQL cannot be reached
     */
    EventWriter(EventBuffer buffer, EventSpool spool, QueryEventWriter mysql, BooleanSupplier schemaReady, QueryEventStats stats, WriterSettings settings)
    {
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.spool = requireNonNull(spool, "spool is null");
        this.mysql = requireNonNull(mysql, "mysql is null");
        this.schemaReady = requireNonNull(schemaReady, "schemaReady is null");
        this.stats = requireNonNull(stats, "stats is null");
        this.batchSize = settings.batchSize();
        this.flushIntervalMillis = settings.flushIntervalMillis();
        this.retryIntervalMillis = settings.retryIntervalMillis();
        this.thread = Thread.ofPlatform().name("switchboard-events-writer").daemon().unstarted(this::run);
    }

    record WriterSettings(int batchSize, long flushIntervalMillis, long retryIntervalMillis) {}

    @PostConstruct
    public void start()
    {
        lastFailureNanos = System.nanoTime() - retryIntervalMillis * 1_000_000;
        thread.start();
    }

    @PreDestroy
    public void stop()
    {
        try {
            stop(SHUTDOWN_TIMEOUT_MILLIS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("Interrupted while waiting for the writer to finish: %s queued events may not be written", buffer.size());
        }
    }

    /**
     * Stops taking events, writes or spools what is queued, and waits for the thread to end.
     */
    void stop(long timeoutMillis)
            throws InterruptedException
    {
        buffer.close();
        thread.join(timeoutMillis);
        if (thread.isAlive()) {
            log.error("Writer did not finish within %s ms: %s queued events were not written", timeoutMillis, buffer.size());
        }
    }

    private void run()
    {
        try {
            while (!buffer.isClosed() || buffer.size() > 0 || !unsaved.isEmpty()) {
                List<QueryEvent> batch = unsaved.isEmpty() ? buffer.take(batchSize, flushIntervalMillis) : unsaved;
                unsaved = List.of();
                save(batch);
                if (!buffer.isClosed()) {
                    replayOneSegment();
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("Writer interrupted with %s events queued", buffer.size());
        }
    }

    private void save(List<QueryEvent> batch)
    {
        if (batch.isEmpty()) {
            return;
        }
        if (spool.isEmpty() && mysqlMayBeUp() && write(batch)) {
            stats.written(batch.size());
            return;
        }
        try {
            spool.append(batch);
            stats.spooled(batch.size());
        }
        catch (IOException | RuntimeException e) {
            log.error(e, "Cannot write %s events to MySQL nor to the spool: keeping them in memory and trying again", batch.size());
            unsaved = batch;
            sleepQuietly();
        }
    }

    private void replayOneSegment()
    {
        if (spool.isEmpty() || !mysqlMayBeUp()) {
            return;
        }
        try {
            Optional<Path> segment = spool.oldest();
            if (segment.isEmpty()) {
                return;
            }
            Optional<List<QueryEvent>> events = readOrQuarantine(segment.get());
            if (events.isEmpty()) {
                logIfReplayed();
                return;
            }
            for (List<QueryEvent> batch : partition(events.get(), batchSize)) {
                if (!write(batch)) {
                    return;
                }
            }
            spool.delete(segment.get());
            stats.replayed(events.get().size());
            logIfReplayed();
        }
        catch (IOException | RuntimeException e) {
            log.error(e, "Cannot replay the spool");
            sleepQuietly();
        }
    }

    /**
     * @return empty if the segment was quarantined: it cannot be decoded, or could not be read {@value #READ_ATTEMPTS} times in a row
     */
    private Optional<List<QueryEvent>> readOrQuarantine(Path segment)
            throws IOException
    {
        try {
            List<QueryEvent> events = spool.read(segment);
            readFailures = 0;
            return Optional.of(events);
        }
        catch (UndecodableSegmentException e) {
            // retrying cannot help: set it aside so that the events after it reach MySQL
            spool.quarantine(segment, e.getMessage());
            return Optional.empty();
        }
        catch (IOException e) {
            readFailures++;
            if (readFailures < READ_ATTEMPTS) {
                throw e;
            }
            readFailures = 0;
            spool.quarantine(segment, "it could not be read %s times in a row: %s".formatted(READ_ATTEMPTS, e));
            return Optional.empty();
        }
    }

    private void logIfReplayed()
    {
        if (spool.isEmpty()) {
            log.info("Spool replayed: every spooled event that was not quarantined is in MySQL");
        }
    }

    /**
     * @return false if MySQL could not be reached; events MySQL rejects for their content are logged and skipped
     */
    private boolean write(List<QueryEvent> batch)
    {
        try {
            if (!schemaReady.getAsBoolean()) {
                // logged once by the check; retried like an unreachable MySQL, without a warning each time
                stats.failedWrite();
                lastFailureNanos = System.nanoTime();
                waitingForSchema = true;
                return false;
            }
            waitingForSchema = false;
        }
        catch (RuntimeException e) {
            // whatever the cause, nothing can be written before the schema is known to be there
            markFailure(e);
            return false;
        }
        try {
            mysql.write(batch);
            if (failing) {
                failing = false;
                log.info("MySQL is reachable again");
            }
            return true;
        }
        catch (RuntimeException e) {
            if (isConnectionFailure(e)) {
                markFailure(e);
                return false;
            }
            return writeOneByOne(batch);
        }
    }

    private void markFailure(RuntimeException e)
    {
        stats.failedWrite();
        lastFailureNanos = System.nanoTime();
        if (!failing) {
            failing = true;
            log.warn("MySQL is unreachable (%s): spooling events to disk and retrying every %s ms", e.getMessage(), retryIntervalMillis);
        }
    }

    /**
     * @return false if MySQL became unreachable; the whole batch is then saved again, which the upserts make harmless
     */
    private boolean writeOneByOne(List<QueryEvent> batch)
    {
        for (QueryEvent event : batch) {
            try {
                mysql.write(List.of(event));
            }
            catch (RuntimeException e) {
                if (isConnectionFailure(e)) {
                    markFailure(e);
                    return false;
                }
                stats.rejected(1);
                log.error(e, "MySQL rejected the event of query %s: skipping it: %s", event.queryId(), event);
            }
        }
        return true;
    }

    private boolean mysqlMayBeUp()
    {
        return !(failing || waitingForSchema) || System.nanoTime() - lastFailureNanos >= retryIntervalMillis * 1_000_000;
    }

    private static boolean isConnectionFailure(Throwable failure)
    {
        for (Throwable cause : getCausalChain(failure)) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sqlException && sqlException.getSQLState() != null && sqlException.getSQLState().startsWith("08")) {
                return true;
            }
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private void sleepQuietly()
    {
        try {
            Thread.sleep(Math.min(retryIntervalMillis, 1_000));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
