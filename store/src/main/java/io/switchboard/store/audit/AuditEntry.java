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
package io.switchboard.store.audit;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * One administrative change: who, from where, what, on which target, when.
 */
public record AuditEntry(long id, Instant occurredAt, String actor, String remoteAddress, String action, String target, String details)
{
    public AuditEntry
    {
        requireNonNull(occurredAt, "occurredAt is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(action, "action is null");
    }
}
