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

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import java.time.Instant;
import java.util.Optional;

import static java.lang.Math.toIntExact;
import static java.util.Objects.requireNonNull;

/**
 * Reads the coordinator's load in process from the beans Trino 476 registers (names checked
 * against a running 476 server; for PrestoDB see {@link CoordinatorBeans#prestoDb}). No HTTP, no credentials. Empty on a worker, which has no query manager.
 */
public class CoordinatorMetrics
{
    private final MBeanServer mbeanServer;
    private final CoordinatorBeans beans;

    public CoordinatorMetrics(MBeanServer mbeanServer, CoordinatorBeans beans)
    {
        this.mbeanServer = requireNonNull(mbeanServer, "mbeanServer is null");
        this.beans = requireNonNull(beans, "beans is null");
    }

    public Optional<CoordinatorLoad> read()
    {
        if (!mbeanServer.isRegistered(beans.queryManager())) {
            return Optional.empty();
        }
        try {
            int queued = intAttribute(beans.queryManager(), "QueuedQueries");
            long submittedNotCompleted = longAttribute(beans.queryManager(), "SubmittedQueries.TotalCount") - longAttribute(beans.queryManager(), "CompletedQueries.TotalCount");
            // RunningQueries counts the RUNNING state only, not queries still planning or FINISHING
            // (a large result fully produced but not yet read by the client)
            int running = intAttribute(beans.queryManager(), "RunningQueries");
            // either count alone can miss queries: submitted minus completed was seen to drop
            // below the running count when queries were rejected during a drain
            long unfinished = Math.max(submittedNotCompleted, (long) running + queued);
            return Optional.of(new CoordinatorLoad(
                    toIntExact(Math.max(running, unfinished - queued)),
                    queued,
                    beans.countsBlockedQueries() ? intAttribute(beans.queryManager(), "FullyBlockedQueries") : 0,
                    unfinished,
                    intAttribute(beans.nodeManager(), "ActiveNodeCount"),
                    longAttribute(beans.memoryManager(), "ClusterTotalMemoryReservation"),
                    longAttribute(beans.memoryManager(), "ClusterMemoryBytes"),
                    (String) mbeanServer.getAttribute(beans.nodeInfo(), "NodeId"),
                    Instant.ofEpochMilli(longAttribute(beans.nodeInfo(), "StartTime")),
                    beans.version()));
        }
        catch (JMException e) {
            throw new IllegalStateException("Cannot read the coordinator's JMX beans: " + e.getMessage(), e);
        }
    }

    private int intAttribute(ObjectName name, String attribute)
            throws JMException
    {
        return toIntExact(longAttribute(name, attribute));
    }

    private long longAttribute(ObjectName name, String attribute)
            throws JMException
    {
        return ((Number) mbeanServer.getAttribute(name, attribute)).longValue();
    }
}
