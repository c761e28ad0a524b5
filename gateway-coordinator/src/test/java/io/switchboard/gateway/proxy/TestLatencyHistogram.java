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
package io.switchboard.gateway.proxy;

import org.junit.jupiter.api.Test;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

final class TestLatencyHistogram
{
    @Test
    void countsEachLatencyInTheFirstBucketThatHoldsIt()
    {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.add(0);
        // a bound is inclusive, as Prometheus' le says
        histogram.add(MILLISECONDS.toNanos(1));
        histogram.add(MILLISECONDS.toNanos(1) + 1);
        histogram.add(MILLISECONDS.toNanos(300));
        histogram.add(SECONDS.toNanos(3600));

        LatencyHistogram.Snapshot snapshot = histogram.snapshot();
        assertThat(snapshot.counts()).hasSize(LatencyHistogram.UPPER_BOUNDS_SECONDS.length);
        assertThat(snapshot.counts()[bucket(0.001)]).isEqualTo(2);
        assertThat(snapshot.counts()[bucket(0.0025)]).isEqualTo(1);
        assertThat(snapshot.counts()[bucket(0.5)]).isEqualTo(1);
        assertThat(snapshot.counts()[bucket(Double.POSITIVE_INFINITY)]).isEqualTo(1);
        assertThat(snapshot.count()).isEqualTo(5);
        assertThat(snapshot.sumSeconds()).isCloseTo(3600.302000001, within(1e-9));
    }

    private static int bucket(double upperBoundSeconds)
    {
        for (int i = 0; i < LatencyHistogram.UPPER_BOUNDS_SECONDS.length; i++) {
            if (LatencyHistogram.UPPER_BOUNDS_SECONDS[i] == upperBoundSeconds) {
                return i;
            }
        }
        throw new IllegalArgumentException("no bucket " + upperBoundSeconds);
    }
}
