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
package io.switchboard.gateway.health;

import io.switchboard.store.health.HealthState;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static io.switchboard.store.health.HealthState.HEALTHY;
import static io.switchboard.store.health.HealthState.MISCONFIGURED;
import static io.switchboard.store.health.HealthState.PENDING;
import static io.switchboard.store.health.HealthState.UNHEALTHY;
import static java.util.Objects.requireNonNull;

/**
 * The health state machine of one cluster.
 * <ul>
 * <li>A new cluster is PENDING; its first probe makes it HEALTHY or not at once.</li>
 * <li>A refused or reset connection makes it UNHEALTHY at once, a 406 MISCONFIGURED at once:
 * these answers are not a matter of luck.</li>
 * <li>Timeouts, errors and "still starting" turn a HEALTHY cluster UNHEALTHY only after
 * {@code failureThreshold} in a row, so one slow answer does not flap it.</li>
 * <li>An UNHEALTHY or MISCONFIGURED cluster needs {@code successThreshold} good probes in a row.</li>
 * </ul>
 */
final class HealthTracker
{
    record Change(HealthState from, HealthState to, String reason) {}

    private final int failureThreshold;
    private final int successThreshold;

    private volatile HealthState state = PENDING;
    private String reason = "not checked yet";
    private String problem = "";
    private Instant since;
    private Instant lastCheck;
    private Duration latency;
    private int failures;
    private int successes;
    private long probeStartedNanos;
    private boolean probing;

    HealthTracker(int failureThreshold, int successThreshold)
    {
        this.failureThreshold = failureThreshold;
        this.successThreshold = successThreshold;
    }

    HealthState state()
    {
        return state;
    }

    /**
     * Starts a probe unless one is in flight or the last one started less than {@code interval} ago.
     */
    synchronized boolean tryStartProbe(long nowNanos, long intervalNanos)
    {
        if (probing || (lastCheck != null && nowNanos - probeStartedNanos < intervalNanos)) {
            return false;
        }
        probing = true;
        probeStartedNanos = nowNanos;
        return true;
    }

    synchronized Optional<Change> probed(ProbeResult result, Instant now)
    {
        probing = false;
        lastCheck = now;
        latency = result.latency();
        return switch (result.outcome()) {
            case OK -> succeeded(result.reason(), now);
            case UNREACHABLE -> failed(UNHEALTHY, result.reason(), true, now);
            case MISCONFIGURED -> failed(MISCONFIGURED, result.reason(), true, now);
            case FAILED -> failed(UNHEALTHY, result.reason(), false, now);
        };
    }

    /**
     * A connection to the cluster was refused or reset while forwarding a request.
     */
    synchronized Optional<Change> unreachable(String why, Instant now)
    {
        return failed(UNHEALTHY, why, true, now);
    }

    synchronized ClusterHealth view()
    {
        return new ClusterHealth(
                state,
                reason,
                since == null ? null : since.toString(),
                lastCheck == null ? null : lastCheck.toString(),
                latency == null ? -1 : latency.toMillis());
    }

    private Optional<Change> succeeded(String why, Instant now)
    {
        failures = 0;
        successes++;
        if (state == HEALTHY) {
            reason = "";
            return Optional.empty();
        }
        if (state == PENDING || successes >= successThreshold) {
            return change(HEALTHY, why, now);
        }
        reason = "recovering (%s of %s good checks) from: %s".formatted(successes, successThreshold, problem);
        return Optional.empty();
    }

    private Optional<Change> failed(HealthState target, String why, boolean immediate, Instant now)
    {
        successes = 0;
        failures++;
        problem = why;
        if (state == target) {
            reason = why;
            return Optional.empty();
        }
        if (immediate || state == PENDING || failures >= failureThreshold) {
            return change(target, why, now);
        }
        reason = "%s of %s failed checks: %s".formatted(failures, failureThreshold, why);
        return Optional.empty();
    }

    private Optional<Change> change(HealthState target, String why, Instant now)
    {
        Change change = new Change(state, target, requireNonNull(why, "why is null"));
        state = target;
        reason = target == HEALTHY ? "" : why;
        since = now;
        failures = 0;
        successes = 0;
        return Optional.of(change);
    }
}
