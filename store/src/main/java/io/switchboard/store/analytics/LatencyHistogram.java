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

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static com.google.common.base.Preconditions.checkArgument;
import static java.lang.Math.toIntExact;

/**
 * Counts of wall times in bins: times below
 * {@value #EXACT_BELOW} ms each in a bin of their own, longer times in bins 2^(1/32) wide. A
 * percentile is the nearest rank's bin (the value at position {@code ceil(p * n)} of the sorted
 * times): exact below {@value #EXACT_BELOW} ms, else the geometric middle of its bin, within
 * 1.1 % of the exact value. Histograms of clusters merge into those of their routing groups,
 * and those of hours (stored in {@code query_stats_hourly}, {@link #toBytes}) into longer buckets.
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

    /**
     * The non-empty bins as unsigned LEB128 varints: for each, the number of empty bins since the
     * previous one (or since bin 0), then its count. A few hundred bytes for an hour of a cluster.
     */
    byte[] toBytes()
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int previous = -1;
        for (int bin = 0; bin < counts.length; bin++) {
            if (counts[bin] > 0) {
                writeVarint(out, bin - previous - 1);
                writeVarint(out, counts[bin]);
                previous = bin;
            }
        }
        return out.toByteArray();
    }

    /**
     * Adds the counts of an encoded histogram ({@link #toBytes}) to this one.
     */
    void addBytes(byte[] bytes)
    {
        int[] position = {0};
        int bin = -1;
        while (position[0] < bytes.length) {
            bin += 1 + toIntExact(readVarint(bytes, position));
            long binCount = readVarint(bytes, position);
            if (bin >= counts.length) {
                counts = Arrays.copyOf(counts, Math.max(bin + 1, counts.length * 2));
            }
            counts[bin] += binCount;
            count += binCount;
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, long value)
    {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    private static long readVarint(byte[] bytes, int[] position)
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            checkArgument(position[0] < bytes.length, "truncated histogram");
            byte next = bytes[position[0]++];
            value |= (long) (next & 0x7F) << shift;
            if ((next & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed histogram");
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
