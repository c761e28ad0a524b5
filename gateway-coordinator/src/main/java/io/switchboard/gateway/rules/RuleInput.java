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
package io.switchboard.gateway.rules;

import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.ListMultimap;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.collect.ImmutableListMultimap.toImmutableListMultimap;
import static java.util.Objects.requireNonNull;

/**
 * What the gateway knows of a new query when it routes it: the request's headers (names in lower
 * case, as Jetty gives them), its SQL text, the client's address and the time the gateway
 * received it.
 */
public record RuleInput(ListMultimap<String, String> headers, String sql, String clientAddress, Instant receivedAt)
{
    public RuleInput
    {
        headers = ImmutableListMultimap.copyOf(headers);
        for (String name : headers.keySet()) {
            checkArgument(name.equals(name.toLowerCase(Locale.ROOT)), "header name %s is not in lower case", name);
        }
        requireNonNull(sql, "sql is null");
        requireNonNull(clientAddress, "clientAddress is null");
        requireNonNull(receivedAt, "receivedAt is null");
    }

    public static RuleInput of(Map<String, String> headers, String sql, String clientAddress, Instant receivedAt)
    {
        return new RuleInput(headers.entrySet().stream().collect(toImmutableListMultimap(entry -> entry.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue)), sql, clientAddress, receivedAt);
    }

    /**
     * The value of a Trino protocol header, {@code X-Trino-<name>} or else {@code X-Presto-<name>}.
     */
    public Optional<String> protocolHeader(String name)
    {
        return first("x-trino-" + name).or(() -> first("x-presto-" + name));
    }

    public List<String> protocolHeaders(String name)
    {
        List<String> values = headers.get("x-trino-" + name);
        return values.isEmpty() ? headers.get("x-presto-" + name) : values;
    }

    public Optional<String> first(String lowerCaseName)
    {
        List<String> values = headers.get(lowerCaseName);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
