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

import io.switchboard.gateway.health.HealthTracker.Change;
import io.switchboard.gateway.health.ProbeResult.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static io.switchboard.store.health.HealthState.HEALTHY;
import static io.switchboard.store.health.HealthState.MISCONFIGURED;
import static io.switchboard.store.health.HealthState.PENDING;
import static io.switchboard.store.health.HealthState.UNHEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

final class TestHealthTracker
{
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void aNewClusterIsPendingUntilItsFirstProbe()
    {
        HealthTracker tracker = new HealthTracker(3, 2);
        assertThat(tracker.state()).isEqualTo(PENDING);
        assertThat(tracker.view().lastCheck()).isNull();

        assertThat(probe(tracker, Outcome.OK)).contains(new Change(PENDING, HEALTHY, "ok"));
        assertThat(tracker.view().lastCheck()).isEqualTo(NOW.toString());
        assertThat(tracker.view().latencyMillis()).isEqualTo(12);
    }

    @Test
    void aNewClusterThatFailsItsFirstProbeIsUnhealthyAtOnce()
    {
        HealthTracker tracker = new HealthTracker(3, 2);
        assertThat(probe(tracker, Outcome.FAILED)).contains(new Change(PENDING, UNHEALTHY, "failed"));
    }

    @Test
    void slowAnswersCountTowardsTheFailureThreshold()
    {
        HealthTracker tracker = healthy(3, 2);
        assertThat(probe(tracker, Outcome.FAILED)).isEmpty();
        assertThat(probe(tracker, Outcome.FAILED)).isEmpty();
        assertThat(tracker.state()).isEqualTo(HEALTHY);
        assertThat(tracker.view().reason()).isEqualTo("2 of 3 failed checks: failed");
        assertThat(probe(tracker, Outcome.FAILED)).contains(new Change(HEALTHY, UNHEALTHY, "failed"));
    }

    @Test
    void oneGoodAnswerResetsTheFailureCount()
    {
        HealthTracker tracker = healthy(2, 2);
        assertThat(probe(tracker, Outcome.FAILED)).isEmpty();
        assertThat(probe(tracker, Outcome.OK)).isEmpty();
        assertThat(tracker.view().reason()).isEmpty();
        assertThat(probe(tracker, Outcome.FAILED)).isEmpty();
        assertThat(tracker.state()).isEqualTo(HEALTHY);
    }

    @Test
    void aRefusedConnectionIsUnhealthyAtOnce()
    {
        HealthTracker tracker = healthy(3, 2);
        assertThat(probe(tracker, Outcome.UNREACHABLE)).contains(new Change(HEALTHY, UNHEALTHY, "unreachable"));
        assertThat(probe(tracker, Outcome.UNREACHABLE)).isEmpty();
    }

    @Test
    void theProxyReportingARefusedConnectionIsUnhealthyAtOnce()
    {
        HealthTracker tracker = healthy(3, 2);
        assertThat(tracker.unreachable("Connection refused", NOW)).contains(new Change(HEALTHY, UNHEALTHY, "Connection refused"));
        assertThat(tracker.unreachable("Connection refused", NOW)).isEmpty();
    }

    @Test
    void recoveryNeedsTheSuccessThreshold()
    {
        HealthTracker tracker = healthy(3, 2);
        probe(tracker, Outcome.UNREACHABLE);
        assertThat(probe(tracker, Outcome.OK)).isEmpty();
        assertThat(tracker.state()).isEqualTo(UNHEALTHY);
        assertThat(tracker.view().reason()).isEqualTo("recovering (1 of 2 good checks) from: unreachable");
        assertThat(probe(tracker, Outcome.OK)).contains(new Change(UNHEALTHY, HEALTHY, "ok"));
        assertThat(tracker.view().reason()).isEmpty();
        assertThat(tracker.view().since()).isEqualTo(NOW.toString());
    }

    @Test
    void aClusterRejectingForwardedHeadersIsMisconfiguredAtOnce()
    {
        HealthTracker tracker = healthy(3, 2);
        assertThat(probe(tracker, Outcome.MISCONFIGURED)).contains(new Change(HEALTHY, MISCONFIGURED, "misconfigured"));
        assertThat(tracker.view().reason()).isEqualTo("misconfigured");
        assertThat(probe(tracker, Outcome.OK)).isEmpty();
        assertThat(probe(tracker, Outcome.OK)).contains(new Change(MISCONFIGURED, HEALTHY, "ok"));
    }

    @Test
    void oneProbeAtATimeAndNoMoreOftenThanTheInterval()
    {
        HealthTracker tracker = new HealthTracker(3, 2);
        long interval = Duration.ofSeconds(10).toNanos();
        assertThat(tracker.tryStartProbe(0, interval)).isTrue();
        assertThat(tracker.tryStartProbe(interval * 5, interval)).isFalse();
        tracker.probed(result(Outcome.OK), NOW);
        assertThat(tracker.tryStartProbe(interval - 1, interval)).isFalse();
        assertThat(tracker.tryStartProbe(interval, interval)).isTrue();
    }

    private static HealthTracker healthy(int failureThreshold, int successThreshold)
    {
        HealthTracker tracker = new HealthTracker(failureThreshold, successThreshold);
        probe(tracker, Outcome.OK);
        assertThat(tracker.state()).isEqualTo(HEALTHY);
        return tracker;
    }

    private static Optional<Change> probe(HealthTracker tracker, Outcome outcome)
    {
        return tracker.probed(result(outcome), NOW);
    }

    private static ProbeResult result(Outcome outcome)
    {
        String reason = switch (outcome) {
            case OK -> "ok";
            case UNREACHABLE -> "unreachable";
            case MISCONFIGURED -> "misconfigured";
            case FAILED -> "failed";
        };
        return new ProbeResult(outcome, reason, Duration.ofMillis(12));
    }
}
