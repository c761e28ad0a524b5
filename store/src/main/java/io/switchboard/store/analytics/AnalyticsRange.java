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

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The time range of an analytics chart, [from, to), and the size of its time buckets. Buckets are
 * aligned on the epoch in UTC (hours on the hour, days at midnight UTC): the first one starts at
 * {@link #origin()}, at or before {@code from}.
 */
public record AnalyticsRange(Instant from, Instant to, Duration bucket)
{
    /**
     * The bucket size for a range of up to the given length: a minute for an hour, 15 minutes for
     * a day, an hour for a week, 6 hours for 30 days, a day beyond; at most a few hundred points.
     */
    private static final List<Step> STEPS = List.of(
            new Step(Duration.ofHours(2), Duration.ofMinutes(1)),
            new Step(Duration.ofHours(26), Duration.ofMinutes(15)),
            new Step(Duration.ofDays(8), Duration.ofHours(1)),
            new Step(Duration.ofDays(32), Duration.ofHours(6)));
    private static final Duration LONGER = Duration.ofDays(1);

    private record Step(Duration upTo, Duration bucket) {}

    public AnalyticsRange
    {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(bucket, "bucket is null");
        checkArgument(from.isBefore(to), "from must be before to");
        checkArgument(bucket.toSeconds() > 0 && bucket.toSeconds() <= Integer.MAX_VALUE && bucket.toMillis() % 1000 == 0, "bucket must be a whole number of seconds");
    }

    /**
     * The range with the bucket size chosen from its length.
     */
    public static AnalyticsRange of(Instant from, Instant to)
    {
        Duration length = Duration.between(from, to);
        Duration bucket = STEPS.stream()
                .filter(step -> length.compareTo(step.upTo()) <= 0)
                .map(Step::bucket)
                .findFirst()
                .orElse(LONGER);
        return new AnalyticsRange(from, to, bucket);
    }

    public long bucketSeconds()
    {
        return bucket.toSeconds();
    }

    /**
     * The start of the first bucket: {@code from} rounded down to a multiple of the bucket size.
     */
    public Instant origin()
    {
        return Instant.ofEpochSecond(Math.floorDiv(from.getEpochSecond(), bucketSeconds()) * bucketSeconds());
    }

    /**
     * The start of the bucket of the given index.
     */
    public Instant bucketStart(long index)
    {
        return origin().plusSeconds(index * bucketSeconds());
    }
}
