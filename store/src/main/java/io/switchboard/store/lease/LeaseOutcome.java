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

/**
 * What {@link LeaseDao#acquire} did.
 */
public enum LeaseOutcome
{
    /** The caller held the lease and renewed it. */
    KEPT,
    /** The caller took the lease, which nobody held or its holder had released. */
    TAKEN_RELEASED,
    /** The caller took the lease from a holder that let it expire, perhaps in the middle of its duty. */
    TAKEN_EXPIRED,
    /** Another holder's lease has not expired: the caller does not hold it. */
    HELD_ELSEWHERE;

    public boolean held()
    {
        return this != HELD_ELSEWHERE;
    }
}
