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
package io.switchboard.gateway.history;

import com.google.inject.Inject;
import io.switchboard.gateway.api.GatewayException;
import io.switchboard.store.history.ClusterQueryCount;
import io.switchboard.store.history.QueryCursor;
import io.switchboard.store.history.QueryDetails;
import io.switchboard.store.history.QueryFilter;
import io.switchboard.store.history.QueryHistoryDao;
import io.switchboard.store.history.QueryPage;
import io.switchboard.store.history.QuerySummary;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static io.switchboard.gateway.api.ApiErrors.fromMysql;
import static io.switchboard.gateway.api.ApiErrors.limit;
import static io.switchboard.gateway.api.GatewayException.Reason.INVALID_REQUEST;
import static io.switchboard.gateway.api.GatewayException.Reason.NOT_FOUND;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * The query history: what ran where, written by the gateway and the clusters' event listeners.
 */
@Path("/api/v1/queries")
@Produces(MediaType.APPLICATION_JSON)
public class QueryHistoryResource
{
    // what MySQL's DATETIME columns can hold, from the first query that could be in the history
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final QueryHistoryDao dao;
    private final Duration textSearchWindow;

    @Inject
    public QueryHistoryResource(QueryHistoryDao dao, HistoryConfig config)
    {
        this.dao = requireNonNull(dao, "dao is null");
        this.textSearchWindow = Duration.ofMillis(config.getTextSearchWindow().toMillis());
    }

    public record Page(List<QuerySummary> queries, Optional<String> next) {}

    @GET
    public Page search(
            @QueryParam("user") String user,
            @QueryParam("source") String source,
            @QueryParam("cluster") String cluster,
            @QueryParam("routingGroup") String routingGroup,
            @QueryParam("state") String state,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("text") String text,
            @QueryParam("limit") String limitParameter,
            @QueryParam("after") String after)
    {
        int limit = limit(limitParameter, 1000);
        Optional<Instant> end = optional(to).map(value -> instant("to", value));
        Optional<Instant> start = optional(from).map(value -> instant("from", value));
        // a text search reads the SQL of every query it passes, newest first, until it has a page:
        // without a start, it looks back history.text-search-window only
        if (optional(text).isPresent() && start.isEmpty()) {
            start = Optional.of(end.orElseGet(Instant::now).minus(textSearchWindow));
        }
        QueryFilter filter = new QueryFilter(
                optional(user),
                optional(source),
                optional(cluster),
                optional(routingGroup),
                optional(state),
                start,
                end,
                optional(text));
        Optional<QueryCursor> cursor = optional(after).map(QueryHistoryResource::decodeCursor);
        QueryPage page = fromMysql("the query history", () -> dao.searchAfter(filter, cursor, limit));
        return new Page(page.queries(), page.next().map(QueryHistoryResource::encodeCursor));
    }

    @GET
    @Path("distribution")
    public List<ClusterQueryCount> distribution(@QueryParam("from") String from, @QueryParam("to") String to)
    {
        Instant end = optional(to).map(value -> instant("to", value)).orElseGet(Instant::now);
        Instant start = optional(from).map(value -> instant("from", value)).orElseGet(() -> end.minus(1, ChronoUnit.DAYS));
        return fromMysql("the query history", () -> dao.distributionByCluster(start, end));
    }

    @GET
    @Path("{queryId}")
    public QueryDetails get(@PathParam("queryId") String queryId)
    {
        return fromMysql("the query history", () -> dao.get(queryId))
                .orElseThrow(() -> new GatewayException(NOT_FOUND, "Query " + queryId + " is not in the history"));
    }

    static Optional<String> optional(String value)
    {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    static Instant instant(String name, String value)
    {
        Instant instant;
        try {
            instant = Instant.parse(value);
        }
        catch (DateTimeParseException e) {
            throw new GatewayException(INVALID_REQUEST, name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, was '" + value + "'");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new GatewayException(INVALID_REQUEST, name + " must be between " + EARLIEST + " and " + LATEST + ", was '" + value + "'");
        }
        return instant;
    }

    private static String encodeCursor(QueryCursor cursor)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((cursor.createdAt() + "|" + cursor.queryId()).getBytes(UTF_8));
    }

    private static QueryCursor decodeCursor(String token)
    {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), UTF_8).split("\\|", 2);
            return new QueryCursor(Instant.parse(parts[0]), parts[1]);
        }
        catch (RuntimeException e) {
            throw new GatewayException(INVALID_REQUEST, "after must be the 'next' token of a previous page");
        }
    }
}
