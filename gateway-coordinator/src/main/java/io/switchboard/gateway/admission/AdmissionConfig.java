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

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableMap;
import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.concurrent.TimeUnit.MINUTES;

/**
 * Limits on the queries this gateway has running, and the bounds of the queue that holds the
 * queries over a limit. Off by default: with {@code admission.enabled=false} the gateway forwards
 * every new query at once, as it always did.
 */
public class AdmissionConfig
{
    private boolean enabled;
    private Integer maxRunningPerUser;
    private Map<String, Integer> userMaxRunning = ImmutableMap.of();
    private Map<String, Integer> sourceMaxRunning = ImmutableMap.of();
    private Integer maxRunningPerGroup;
    private Map<String, Integer> groupMaxRunning = ImmutableMap.of();
    private Map<String, Integer> classMaxRunning = ImmutableMap.of();
    private Integer clusterCapacity;
    private Map<String, Integer> clusterCapacities = ImmutableMap.of();
    private int maxQueuedPerGroup = 1000;
    private Duration maxQueueWait = new Duration(30, MINUTES);
    private Duration clientTimeout = new Duration(5, MINUTES);

    public boolean isEnabled()
    {
        return enabled;
    }

    @Config("admission.enabled")
    @ConfigDescription("Hold new queries over a limit in the gateway's queue instead of forwarding them")
    public AdmissionConfig setEnabled(boolean enabled)
    {
        this.enabled = enabled;
        return this;
    }

    public OptionalInt getMaxRunningPerUser()
    {
        return maxRunningPerUser == null ? OptionalInt.empty() : OptionalInt.of(maxRunningPerUser);
    }

    @Config("admission.max-running-per-user")
    @ConfigDescription("Most queries of one user running at once, on all clusters of all groups (unset: no limit)")
    public AdmissionConfig setMaxRunningPerUser(Integer maxRunningPerUser)
    {
        this.maxRunningPerUser = validPositive("admission.max-running-per-user", maxRunningPerUser);
        return this;
    }

    public Map<String, Integer> getUserMaxRunning()
    {
        return userMaxRunning;
    }

    @Config("admission.user-max-running")
    @ConfigDescription("Per-user limits that replace admission.max-running-per-user, as user:limit pairs separated by commas (etl_bot:20,alice:2)")
    public AdmissionConfig setUserMaxRunning(String userMaxRunning)
    {
        this.userMaxRunning = parseLimits("admission.user-max-running", userMaxRunning);
        return this;
    }

    public Map<String, Integer> getSourceMaxRunning()
    {
        return sourceMaxRunning;
    }

    @Config("admission.source-max-running")
    @ConfigDescription("Limits per client source (X-Trino-Source), as source:limit pairs separated by commas (airflow:30,superset:50); other sources have none")
    public AdmissionConfig setSourceMaxRunning(String sourceMaxRunning)
    {
        this.sourceMaxRunning = parseLimits("admission.source-max-running", sourceMaxRunning);
        return this;
    }

    public OptionalInt getMaxRunningPerGroup()
    {
        return maxRunningPerGroup == null ? OptionalInt.empty() : OptionalInt.of(maxRunningPerGroup);
    }

    @Config("admission.max-running-per-group")
    @ConfigDescription("Most queries of one routing group running at once, on all of its clusters (unset: no limit)")
    public AdmissionConfig setMaxRunningPerGroup(Integer maxRunningPerGroup)
    {
        this.maxRunningPerGroup = validPositive("admission.max-running-per-group", maxRunningPerGroup);
        return this;
    }

    public Map<String, Integer> getGroupMaxRunning()
    {
        return groupMaxRunning;
    }

    @Config("admission.group-max-running")
    @ConfigDescription("Per-group limits that replace admission.max-running-per-group, as group:limit pairs separated by commas (adhoc:20,etl:50)")
    public AdmissionConfig setGroupMaxRunning(String groupMaxRunning)
    {
        this.groupMaxRunning = parseLimits("admission.group-max-running", groupMaxRunning);
        return this;
    }

    public Map<String, Integer> getClassMaxRunning()
    {
        return classMaxRunning;
    }

    @Config("admission.class-max-running")
    @ConfigDescription("Limits per admission class (set by a routing rule's admissionClass), within each routing group, as class:limit pairs separated by commas (reports:5,backfill:2); " +
            "other classes have none")
    public AdmissionConfig setClassMaxRunning(String classMaxRunning)
    {
        this.classMaxRunning = parseLimits("admission.class-max-running", classMaxRunning);
        return this;
    }

    public OptionalInt getClusterCapacity()
    {
        return clusterCapacity == null ? OptionalInt.empty() : OptionalInt.of(clusterCapacity);
    }

    @Config("admission.cluster-capacity")
    @ConfigDescription("Most queries the gateway runs at once on one cluster (unset: no limit)")
    public AdmissionConfig setClusterCapacity(Integer clusterCapacity)
    {
        this.clusterCapacity = validPositive("admission.cluster-capacity", clusterCapacity);
        return this;
    }

    public Map<String, Integer> getClusterCapacities()
    {
        return clusterCapacities;
    }

    @Config("admission.cluster-capacities")
    @ConfigDescription("Per-cluster capacities that replace admission.cluster-capacity, as cluster:limit pairs separated by commas (big-1:40,small-1:8)")
    public AdmissionConfig setClusterCapacities(String clusterCapacities)
    {
        this.clusterCapacities = parseLimits("admission.cluster-capacities", clusterCapacities);
        return this;
    }

    @Min(0)
    public int getMaxQueuedPerGroup()
    {
        return maxQueuedPerGroup;
    }

    @Config("admission.max-queued-per-group")
    @ConfigDescription("Most queries waiting in the gateway's queue of one routing group; beyond it a new query fails with QUERY_QUEUE_FULL (0: never queue)")
    public AdmissionConfig setMaxQueuedPerGroup(int maxQueuedPerGroup)
    {
        this.maxQueuedPerGroup = maxQueuedPerGroup;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getMaxQueueWait()
    {
        return maxQueueWait;
    }

    @Config("admission.max-queue-wait")
    @ConfigDescription("Longest a query waits in the gateway's queue; then it fails with EXCEEDED_TIME_LIMIT")
    public AdmissionConfig setMaxQueueWait(Duration maxQueueWait)
    {
        this.maxQueueWait = maxQueueWait;
        return this;
    }

    @NotNull
    @MinDuration("10s")
    public Duration getClientTimeout()
    {
        return clientTimeout;
    }

    @Config("admission.client-timeout")
    @ConfigDescription("An admitted query whose client sends nothing through the gateway for this long no longer counts against the limits " +
            "(like Trino's query.client.timeout, after which Trino abandons it)")
    public AdmissionConfig setClientTimeout(Duration clientTimeout)
    {
        this.clientTimeout = clientTimeout;
        return this;
    }

    private static Integer validPositive(String property, Integer value)
    {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(property + " must be at least 1, or unset for no limit");
        }
        return value;
    }

    /**
     * {@code name:limit,name:limit}: a form an operator writes in a properties file.
     */
    static Map<String, Integer> parseLimits(String property, String text)
    {
        if (text == null || text.isBlank()) {
            return ImmutableMap.of();
        }
        ImmutableMap.Builder<String, Integer> limits = ImmutableMap.builder();
        for (String pair : Splitter.on(',').trimResults().omitEmptyStrings().split(text)) {
            int colon = pair.lastIndexOf(':');
            Optional<Integer> limit = colon <= 0 ? Optional.empty() : parsePositive(pair.substring(colon + 1).trim());
            if (limit.isEmpty()) {
                throw new IllegalArgumentException(property + ": '" + pair + "' is not name:limit with a limit of at least 1");
            }
            limits.put(pair.substring(0, colon).trim(), limit.get());
        }
        return limits.buildOrThrow();
    }

    private static Optional<Integer> parsePositive(String text)
    {
        try {
            int value = Integer.parseInt(text);
            return value >= 1 ? Optional.of(value) : Optional.empty();
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
