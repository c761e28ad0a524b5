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
package io.switchboard.plugin.router;

import com.google.inject.Inject;
import io.switchboard.store.status.ClusterState;

import static io.switchboard.store.status.ClusterState.ACTIVE;
import static io.switchboard.store.status.ClusterState.DRAINED;
import static io.switchboard.store.status.ClusterState.SHUTTING_DOWN;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * The coordinator's drain state: ACTIVE, SHUTTING_DOWN once a drain is requested, DRAINED once
 * nothing is left. Trino's threads only read the volatile state; the heartbeat thread alone moves it.
 */
public final class DrainStateMachine
{
    // longer than Trino takes between admitting a query and counting it as submitted
    private static final long SETTLE_NANOS = SECONDS.toNanos(1);

    private final long transactionDrainTimeoutNanos;
    private volatile ClusterState state = ACTIVE;
    private volatile boolean servedUndrained;
    private long shuttingDownSince;

    @Inject
    public DrainStateMachine(RouterConfig config)
    {
        this.transactionDrainTimeoutNanos = config.getTransactionDrainTimeout().roundTo(NANOSECONDS);
    }

    public ClusterState state()
    {
        return state;
    }

    /**
     * Moves the state after one look at the drain request and the coordinator's unfinished queries.
     * A drain stays in SHUTTING_DOWN for at least a second, so a query that was admitted just
     * before the drain began is counted before DRAINED can be reported.
     *
     * @return the new state
     */
    public synchronized ClusterState update(boolean drainRequested, long unfinishedQueries)
    {
        return update(drainRequested, true, unfinishedQueries, 0);
    }

    /**
     * @param requestKnown whether the drain request was read from MySQL already; a coordinator
     * that has not read it yet is not serving undrained, whatever {@code drainRequested} says
     * @param openTransactions transactions opened through a gateway that have not ended: a drain
     * waits for them up to {@code switchboard.transaction-drain-timeout}
     */
    public synchronized ClusterState update(boolean drainRequested, boolean requestKnown, long unfinishedQueries, long openTransactions)
    {
        if (!drainRequested && requestKnown) {
            servedUndrained = true;
        }
        ClusterState next = next(drainRequested, unfinishedQueries, openTransactions);
        if (state == ACTIVE && next == SHUTTING_DOWN) {
            shuttingDownSince = System.nanoTime();
        }
        state = next;
        return next;
    }

    /**
     * Whether the coordinator served without a drain request before the current drain. A
     * coordinator started while its cluster is already marked DRAINING (as after a supervised
     * restart) has not, and must not exit again.
     */
    public boolean servedBeforeDrain()
    {
        return servedUndrained;
    }

    private ClusterState next(boolean drainRequested, long unfinishedQueries, long openTransactions)
    {
        if (!drainRequested) {
            return ACTIVE;
        }
        long draining = System.nanoTime() - shuttingDownSince;
        if (state == ACTIVE || unfinishedQueries > 0 || draining < SETTLE_NANOS) {
            return SHUTTING_DOWN;
        }
        if (openTransactions > 0 && draining < transactionDrainTimeoutNanos) {
            return SHUTTING_DOWN;
        }
        return DRAINED;
    }
}
