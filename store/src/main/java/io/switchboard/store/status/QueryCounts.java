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
package io.switchboard.store.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The queries a coordinator has created and not yet completed (queued or running), per user and
 * per client source, as its router plugin counted them at one heartbeat. Stored as JSON in
 * {@code cluster_status.query_counts}: {@code {"users": {"alice": 3}, "sources": {"airflow": 2}}}.
 * A query without a source counts for its user only.
 */
public record QueryCounts(Map<String, Integer> byUser, Map<String, Integer> bySource)
{
    /**
     * The most users, and the most sources, one report carries: the largest counts.
     */
    public static final int MAX_REPORTED = 1000;

    // the plugins write with jackson-core alone: PrestoDB lends its plugins its own, older Jackson
    // annotations, which jackson-databind cannot run with
    private static final JsonFactory JSON = new JsonFactory();

    public static final QueryCounts EMPTY = new QueryCounts(Map.of(), Map.of());

    public QueryCounts
    {
        byUser = ImmutableMap.copyOf(requireNonNull(byUser, "byUser is null"));
        bySource = ImmutableMap.copyOf(requireNonNull(bySource, "bySource is null"));
        checkArgument(byUser.values().stream().allMatch(count -> count > 0), "user counts must be positive");
        checkArgument(bySource.values().stream().allMatch(count -> count > 0), "source counts must be positive");
    }

    /**
     * The counts with only the {@code limit} largest of each kind (ties broken by name, so the
     * choice is stable from one heartbeat to the next).
     */
    public static QueryCounts largest(Map<String, Integer> byUser, Map<String, Integer> bySource, int limit)
    {
        return new QueryCounts(largest(byUser, limit), largest(bySource, limit));
    }

    private static Map<String, Integer> largest(Map<String, Integer> counts, int limit)
    {
        if (counts.size() <= limit) {
            return counts;
        }
        Map<String, Integer> kept = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .forEach(entry -> kept.put(entry.getKey(), entry.getValue()));
        return kept;
    }

    public String toJson()
    {
        StringWriter json = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(json)) {
            generator.writeStartObject();
            writeCounts(generator, "users", byUser);
            writeCounts(generator, "sources", bySource);
            generator.writeEndObject();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot encode query counts", e);
        }
        return json.toString();
    }

    private static void writeCounts(JsonGenerator generator, String name, Map<String, Integer> counts)
            throws IOException
    {
        generator.writeObjectFieldStart(name);
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            generator.writeNumberField(count.getKey(), count.getValue());
        }
        generator.writeEndObject();
    }

    public static QueryCounts fromJson(String json)
    {
        requireNonNull(json, "json is null");
        try {
            Document document = Reader.MAPPER.readValue(json, Document.class);
            return new QueryCounts(
                    document.users() == null ? Map.of() : document.users(),
                    document.sources() == null ? Map.of() : document.sources());
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid query counts in cluster_status.query_counts: " + e.getOriginalMessage(), e);
        }
    }

    private record Document(Map<String, Integer> users, Map<String, Integer> sources) {}

    private static final class Reader
    {
        // fields a later plugin may add are skipped
        static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }
}
