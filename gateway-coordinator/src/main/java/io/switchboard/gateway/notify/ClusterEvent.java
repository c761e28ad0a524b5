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
package io.switchboard.gateway.notify;

import com.google.common.collect.ImmutableMap;

import java.time.Instant;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Something an operator should hear about a cluster. Failures open an incident that reminders
 * repeat until a recovery closes it.
 *
 * @param details structured fields added to the webhook payload and the email body (no secrets)
 */
public record ClusterEvent(String clusterName, Type type, String message, Instant occurredAt, Map<String, String> details)
{
    public enum Type
    {
        UNHEALTHY(true),
        MISCONFIGURED(true),
        RECOVERED(false),
        DRAIN_STARTED(false),
        DRAIN_PROGRESS(false),
        DRAINED(false),
        ACTIVATED(false);

        private final boolean failure;

        Type(boolean failure)
        {
            this.failure = failure;
        }

        /**
         * Whether the event opens an incident: reminders follow until a {@link #RECOVERED}.
         */
        public boolean isFailure()
        {
            return failure;
        }

        /**
         * Whether every gateway replica sees the event, by its own health checks (rolling restart
         * events come from the one replica running the restart).
         */
        public boolean isHealthTransition()
        {
            return failure || this == RECOVERED;
        }
    }

    public ClusterEvent
    {
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(type, "type is null");
        requireNonNull(message, "message is null");
        requireNonNull(occurredAt, "occurredAt is null");
        details = ImmutableMap.copyOf(requireNonNull(details, "details is null"));
    }

    public ClusterEvent(String clusterName, Type type, String message)
    {
        this(clusterName, type, message, Instant.now(), Map.of());
    }
}
