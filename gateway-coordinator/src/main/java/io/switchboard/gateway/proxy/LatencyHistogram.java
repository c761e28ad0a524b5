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

import java.util.concurrent.atomic.LongAdder;

import static java.util.Objects.requireNonNull;

/**
 * Latencies counted into fixed buckets, for a Prometheus histogram: one comparison per bound and
 * two {@link LongAdder} increments per observation, nothing allocated.
 */
public final class LatencyHistogram
{
    /**
     * Upper bounds in seconds, from a millisecond (a poll of a fast query) to a minute (a
     * submission to a cluster that is overloaded or starting); the last bucket is +Inf.
     */
    public static final double[] UPPER_BOUNDS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, Double.POSITIVE_INFINITY};

    private static final long[] UPPER_BOUNDS_NANOS = upperBoundsNanos();

    private final LongAdder[] counts = new LongAdder[UPPER_BOUNDS_SECONDS.length];
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram()
    {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void add(long nanos)
    {
        int bucket = 0;
        while (bucket < UPPER_BOUNDS_NANOS.length && nanos > UPPER_BOUNDS_NANOS[bucket]) {
            bucket++;
        }
        counts[bucket].increment();
        sumNanos.add(nanos);
    }

    /**
     * The counts of each bucket (not cumulative) and their sum, read one after the other: a
     * scrape during traffic may see a sum a few observations ahead of the counts.
     */
    public Snapshot snapshot()
    {
        long[] values = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            values[i] = counts[i].sum();
        }
        return new Snapshot(values, sumNanos.sum() / 1e9);
    }

    public record Snapshot(long[] counts, double sumSeconds)
    {
        public Snapshot
        {
            requireNonNull(counts, "counts is null");
        }

        public long count()
        {
            long count = 0;
            for (long value : counts) {
                count += value;
            }
            return count;
        }
    }

    private static long[] upperBoundsNanos()
    {
        // the finite bounds only: what is above the last one falls into +Inf
        long[] nanos = new long[UPPER_BOUNDS_SECONDS.length - 1];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = Math.round(UPPER_BOUNDS_SECONDS[i] * 1e9);
        }
        return nanos;
    }
}
