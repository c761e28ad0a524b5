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

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One message to send: an event, or a reminder that a failure still lasts.
 */
record Notification(ClusterEvent event, boolean reminder, String gatewayId, Instant sentAt)
{
    Notification
    {
        requireNonNull(event, "event is null");
        requireNonNull(gatewayId, "gatewayId is null");
        requireNonNull(sentAt, "sentAt is null");
    }

    String subject()
    {
        if (reminder) {
            return "[Switchboard] Reminder: cluster %s is still %s".formatted(event.clusterName(), event.type());
        }
        return switch (event.type()) {
            case UNHEALTHY, MISCONFIGURED -> "[Switchboard] Cluster %s is %s".formatted(event.clusterName(), event.type());
            case RECOVERED -> "[Switchboard] Cluster %s recovered".formatted(event.clusterName());
            default -> "[Switchboard] Cluster %s: %s".formatted(event.clusterName(), event.type());
        };
    }

    /**
     * One line for chat (Slack's "text").
     */
    String text()
    {
        String text = subject().substring("[Switchboard] ".length()) + ": " + event.message();
        if (reminder) {
            text += " (since " + event.occurredAt() + ", " + Duration.between(event.occurredAt(), sentAt).toMinutes() + " min)";
        }
        return text;
    }

    String body()
    {
        StringBuilder body = new StringBuilder(text()).append("\n\n");
        fields().forEach((key, value) -> body.append(key).append(": ").append(value).append('\n'));
        return body.toString();
    }

    /**
     * The structured fields of the webhook payload and of the email body.
     */
    Map<String, String> fields()
    {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("cluster", event.clusterName());
        fields.put("event", event.type().name());
        fields.put("reminder", String.valueOf(reminder));
        fields.put("message", event.message());
        fields.put("occurredAt", event.occurredAt().toString());
        fields.put("gateway", gatewayId);
        event.details().forEach(fields::putIfAbsent);
        return fields;
    }
}
