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

import io.switchboard.store.status.ClusterState;

import static io.switchboard.store.status.ClusterState.ACTIVE;
import static io.switchboard.store.status.ClusterState.DRAINED;
import static io.switchboard.store.status.ClusterState.SHUTTING_DOWN;

/**
 * The coordinator's drain state: ACTIVE, SHUTTING_DOWN once a drain is requested, DRAINED once
 * nothing is left. Trino's threads only read the volatile state; the heartbeat thread alone moves it.
 */
public final class DrainStateMachine
{
    private volatile ClusterState state = ACTIVE;
    private volatile boolean servedUndrained;

    public ClusterState state()
    {
        return state;
    }

    /**
     * Moves the state after one look at the drain request and the coordinator's unfinished queries.
     * A drain always passes through SHUTTING_DOWN for one heartbeat, so a query that was admitted
     * just before the drain began is counted before DRAINED can be reported.
     *
     * @return the new state
     */
    public synchronized ClusterState update(boolean drainRequested, long unfinishedQueries)
    {
        if (!drainRequested) {
            servedUndrained = true;
        }
        state = next(state, drainRequested, unfinishedQueries);
        return state;
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

    private static ClusterState next(ClusterState current, boolean drainRequested, long unfinishedQueries)
    {
        if (!drainRequested) {
            return ACTIVE;
        }
        if (current == ACTIVE) {
            return SHUTTING_DOWN;
        }
        return unfinishedQueries == 0 ? DRAINED : SHUTTING_DOWN;
    }
}
