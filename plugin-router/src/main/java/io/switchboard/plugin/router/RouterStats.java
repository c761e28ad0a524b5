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
import org.weakref.jmx.Managed;

import java.util.concurrent.atomic.AtomicLong;

import static io.switchboard.store.status.ClusterState.ACTIVE;
import static io.switchboard.store.status.ClusterState.DRAINED;
import static java.util.Objects.requireNonNull;

/**
 * The router plugin's figures over JMX, and so on Trino's {@code /metrics} when
 * {@code openmetrics.jmx-object-names} names them: the drain state, the queries it refused, the
 * unfinished queries it counts, and how its status reports to MySQL fare.
 */
public class RouterStats
{
    private final DrainStateMachine stateMachine;
    private final RunningQueries runningQueries;
    private final AtomicLong refusedQueries = new AtomicLong();
    private final AtomicLong statusReports = new AtomicLong();
    private final AtomicLong failedStatusReports = new AtomicLong();

    @Inject
    public RouterStats(DrainStateMachine stateMachine, RunningQueries runningQueries)
    {
        this.stateMachine = requireNonNull(stateMachine, "stateMachine is null");
        this.runningQueries = requireNonNull(runningQueries, "runningQueries is null");
    }

    void queryRefused()
    {
        refusedQueries.incrementAndGet();
    }

    void statusReported()
    {
        statusReports.incrementAndGet();
    }

    void statusReportFailed()
    {
        failedStatusReports.incrementAndGet();
    }

    // 0 or 1 rather than booleans, which Trino's /metrics leaves out
    @Managed(description = "1 while the coordinator drains or is drained (it refuses new queries), else 0")
    public int getDraining()
    {
        return stateMachine.state() != ACTIVE ? 1 : 0;
    }

    @Managed(description = "1 once a draining coordinator has no unfinished query left, else 0")
    public int getDrained()
    {
        return stateMachine.state() == DRAINED ? 1 : 0;
    }

    @Managed(description = "Queries refused because the coordinator drains")
    public long getRefusedQueries()
    {
        return refusedQueries.get();
    }

    @Managed(description = "Queries created and not yet completed on this coordinator")
    public long getUnfinishedQueries()
    {
        return runningQueries.size();
    }

    @Managed(description = "Status reports written to MySQL")
    public long getStatusReports()
    {
        return statusReports.get();
    }

    @Managed(description = "Status reports that failed (MySQL unreachable or refusing)")
    public long getFailedStatusReports()
    {
        return failedStatusReports.get();
    }
}
