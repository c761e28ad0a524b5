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
package io.switchboard.gateway.admission;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

/**
 * A query held in the gateway's queue. Its client polls {@code /v1/statement/queued/gateway/<id>/<slug>/<n>};
 * the slug is a secret only that client knows. The statement itself is kept for the proxy until
 * {@link #takeStatement()}, opaque here.
 */
public final class QueuedQuery
{
    public enum State
    {
        WAITING,
        ADMITTED,
        CANCELLED,
        FAILED,
    }

    /**
     * Why a queued query failed; the proxy turns it into a Trino error.
     */
    public enum Failure
    {
        QUEUE_TIMEOUT,
        ABANDONED,
    }

    private final String id;
    private final String slug;
    private final AdmissionKey key;
    private final long enqueuedNanos;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile long lastPolledNanos;
    private volatile long finishedNanos;
    // guarded by the controller
    private State state = State.WAITING;
    // dropped once the query is cancelled, failed or submitted: a finished query is remembered for a while, its statement is not
    private Object statement;
    private AdmissionSlot slot;
    private Failure failure;
    private String message;
    private String blockedBy;
    // the poll waiting for a change, if any: replaced at each poll, so nothing accumulates
    private CompletableFuture<Void> waiter;

    QueuedQuery(String id, String slug, AdmissionKey key, Object statement, long nowNanos, String blockedBy)
    {
        this.id = requireNonNull(id, "id is null");
        this.slug = requireNonNull(slug, "slug is null");
        this.key = requireNonNull(key, "key is null");
        this.statement = requireNonNull(statement, "statement is null");
        this.enqueuedNanos = nowNanos;
        this.lastPolledNanos = nowNanos;
        this.blockedBy = requireNonNull(blockedBy, "blockedBy is null");
    }

    public String id()
    {
        return id;
    }

    public String slug()
    {
        return slug;
    }

    public AdmissionKey key()
    {
        return key;
    }

    /**
     * The statement, for the one poll that {@link #claim() claimed} the admitted query: it is
     * held no longer.
     */
    public synchronized Object takeStatement()
    {
        checkState(state == State.ADMITTED && claimed.get(), "query %s is not admitted and claimed", id);
        Object taken = statement;
        statement = null;
        return requireNonNull(taken, "the statement was taken already");
    }

    public long enqueuedNanos()
    {
        return enqueuedNanos;
    }

    public synchronized State state()
    {
        return state;
    }

    public synchronized Optional<AdmissionSlot> slot()
    {
        return Optional.ofNullable(slot);
    }

    public synchronized Optional<Failure> failure()
    {
        return Optional.ofNullable(failure);
    }

    /**
     * What the client is told about a failure.
     */
    public synchronized String message()
    {
        return message;
    }

    /**
     * The limit that holds the query, as the operator configured it.
     */
    public synchronized String blockedBy()
    {
        return blockedBy;
    }

    /**
     * The one poll that forwards an admitted query takes it; any other poll does not.
     */
    public boolean claim()
    {
        return claimed.compareAndSet(false, true);
    }

    boolean claimed()
    {
        return claimed.get();
    }

    void polled(long nowNanos)
    {
        lastPolledNanos = nowNanos;
    }

    long lastPolledNanos()
    {
        return lastPolledNanos;
    }

    long finishedNanos()
    {
        return finishedNanos;
    }

    /**
     * A future the next change of state completes; the previous poll's future is completed at
     * once (its poll answers as things are).
     */
    synchronized CompletableFuture<Void> newWaiter()
    {
        CompletableFuture<Void> previous = waiter;
        waiter = new CompletableFuture<>();
        if (previous != null) {
            previous.complete(null);
        }
        if (state != State.WAITING) {
            waiter.complete(null);
        }
        return waiter;
    }

    synchronized void blockedBy(String blockedBy)
    {
        this.blockedBy = blockedBy;
    }

    synchronized CompletableFuture<Void> admitted(AdmissionSlot slot, long nowNanos)
    {
        this.state = State.ADMITTED;
        this.slot = slot;
        return finish(nowNanos);
    }

    synchronized CompletableFuture<Void> failed(Failure failure, String message, long nowNanos)
    {
        this.state = State.FAILED;
        this.statement = null;
        this.failure = failure;
        this.message = message;
        return finish(nowNanos);
    }

    synchronized CompletableFuture<Void> cancelled(long nowNanos)
    {
        this.state = State.CANCELLED;
        this.statement = null;
        return finish(nowNanos);
    }

    private CompletableFuture<Void> finish(long nowNanos)
    {
        finishedNanos = nowNanos;
        CompletableFuture<Void> current = waiter;
        waiter = null;
        return current;
    }
}
