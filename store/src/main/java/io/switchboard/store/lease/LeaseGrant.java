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
package io.switchboard.store.lease;

import java.time.Duration;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What {@link LeaseDao#acquire} did.
 *
 * @param unheldFor when the caller took the lease ({@link LeaseOutcome#TAKEN_RELEASED},
 * {@link LeaseOutcome#TAKEN_EXPIRED}): how long ago, by MySQL's clock, the previous holder
 * released it or it expired; zero otherwise
 */
public record LeaseGrant(LeaseOutcome outcome, Duration unheldFor)
{
    public LeaseGrant
    {
        requireNonNull(outcome, "outcome is null");
        requireNonNull(unheldFor, "unheldFor is null");
        checkArgument(!unheldFor.isNegative(), "unheldFor is negative");
    }
}
