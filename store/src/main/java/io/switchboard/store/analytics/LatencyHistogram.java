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
package io.switchboard.store.analytics;

import java.util.Arrays;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Counts of wall times in bins: times below
 * {@value #EXACT_BELOW} ms each in a bin of their own, longer times in bins 2^(1/32) wide. A
 * percentile is the nearest rank's bin (the value at position {@code ceil(p * n)} of the sorted
 * times): exact below {@value #EXACT_BELOW} ms, else the geometric middle of its bin, within
 * 1.1 % of the exact value. Histograms of clusters merge into those of their routing groups.
 */
final class LatencyHistogram
{
    static final int EXACT_BITS = 7;
    static final int EXACT_BELOW = 1 << EXACT_BITS;
    static final int BINS_PER_DOUBLING = 32;
    private static final double LN_2 = Math.log(2);

    // counts by bin, grown to the largest bin seen
    private long[] counts = new long[EXACT_BELOW];
    private long count;

    /**
     * The bin of a wall time: itself below {@value #EXACT_BELOW} ms, else one of the bins
     * 2^(1/32) wide above.
     */
    static int bin(long wallMillis)
    {
        if (wallMillis < EXACT_BELOW) {
            return (int) Math.max(0, wallMillis);
        }
        return EXACT_BELOW + (int) Math.floor((Math.log(wallMillis) / LN_2 - EXACT_BITS) * BINS_PER_DOUBLING);
    }

    void add(long wallMillis)
    {
        int bin = bin(wallMillis);
        if (bin >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(bin + 1, counts.length * 2));
        }
        counts[bin]++;
        count++;
    }

    long count()
    {
        return count;
    }

    long percentile(double p)
    {
        checkArgument(count > 0, "no values");
        long rank = Math.max(1, (long) Math.ceil(p * count));
        long seen = 0;
        for (int bin = 0; bin < counts.length; bin++) {
            seen += counts[bin];
            if (seen >= rank) {
                return value(bin);
            }
        }
        throw new IllegalStateException("rank " + rank + " beyond " + count);
    }

    /**
     * The value a bin stands for: itself below {@value #EXACT_BELOW} ms, else its geometric middle.
     */
    static long value(long bin)
    {
        if (bin < EXACT_BELOW) {
            return bin;
        }
        double exponent = EXACT_BITS + (bin - EXACT_BELOW + 0.5) / BINS_PER_DOUBLING;
        return Math.round(Math.pow(2, exponent));
    }
}
