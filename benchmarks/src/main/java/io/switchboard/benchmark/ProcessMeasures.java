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
package io.switchboard.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * What the benchmarks read about processes and latencies: /proc counters and percentiles.
 */
final class ProcessMeasures
{
    private ProcessMeasures() {}

    /**
     * User plus system CPU time of the process, in clock ticks (1/100 s).
     */
    static long cpuTicks(long pid)
    {
        String stat = readProcFile(Path.of("/proc", String.valueOf(pid), "stat"));
        // fields after the parenthesised command name, which may itself contain spaces
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * Resident memory of the process in KiB, or -1 when it reports none.
     */
    static long rssKb(long pid)
    {
        for (String line : readProcFile(Path.of("/proc", String.valueOf(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring("VmRSS:".length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    static String loadAverage()
    {
        String[] fields = readProcFile(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    static String readProcFile(Path path)
    {
        try {
            return Files.readString(path, UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The value at {@code quantile} of sorted values, or -1 without values.
     */
    static long percentile(long[] sorted, double quantile)
    {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.clamp(index, 0, sorted.length - 1)];
    }

    static double millis(long nanos)
    {
        return nanos / 1_000_000.0;
    }
}
