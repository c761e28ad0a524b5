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

import static java.util.Objects.requireNonNull;

/**
 * How the completed queries of a cluster or a user ended: {@code FINISHED}, {@code FAILED}
 * (cancelled and rejected included), {@code LOST} in a coordinator restart.
 * {@code successPercent} is 100 * finished / completed, to two decimals.
 */
public record SuccessRate(String name, long completed, long finished, long failed, long lost, double successPercent)
{
    public SuccessRate
    {
        requireNonNull(name, "name is null");
    }

    public static SuccessRate of(String name, long finished, long failed, long lost)
    {
        long completed = finished + failed + lost;
        double percent = completed == 0 ? 0 : Math.round(10_000.0 * finished / completed) / 100.0;
        return new SuccessRate(name, completed, finished, failed, lost, percent);
    }

    public SuccessRate plus(long moreFinished, long moreFailed, long moreLost)
    {
        return of(name, finished + moreFinished, failed + moreFailed, lost + moreLost);
    }
}
