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
import io.switchboard.store.analytics.AnalyticsDao;
import io.switchboard.store.analytics.AnalyticsRange;
import io.switchboard.store.analytics.Latency;
import io.switchboard.store.analytics.LatencyPoint;
import io.switchboard.store.analytics.LostQueries;
import io.switchboard.store.analytics.QueryCountPoint;
import io.switchboard.store.analytics.Success;
import io.switchboard.store.analytics.SuccessRate;
import io.switchboard.store.analytics.TableLatency;
import io.switchboard.store.analytics.Throughput;
import io.switchboard.store.analytics.TopUsers;
import io.switchboard.store.analytics.UserUsage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.switchboard.gateway.api.ApiErrors.fromMysql;
import static io.switchboard.gateway.api.ApiErrors.limit;
import static io.switchboard.gateway.api.GatewayException.Reason.INVALID_REQUEST;
import static io.switchboard.gateway.history.QueryHistoryResource.instant;
import static io.switchboard.gateway.history.QueryHistoryResource.optional;
import static java.util.Objects.requireNonNull;

/**
 * Charts of the query history as JSON, each computed by MySQL over one time range: {@code from}
 * and {@code to} (ISO-8601 instants), or {@code range} (hour, day, week, month) ending at
 * {@code to} (default now); the last hour when none is given. Time series come in buckets whose
 * size follows the range's length ({@link AnalyticsRange#of}).
 */
@Path("/api/v1/analytics")
@Produces(MediaType.APPLICATION_JSON)
public class AnalyticsResource
{
    private static final Map<String, Duration> RANGES = Map.of(
            "hour", Duration.ofHours(1),
            "day", Duration.ofDays(1),
            "week", Duration.ofDays(7),
            "month", Duration.ofDays(30));
    private static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    private static final Duration LONGEST_RANGE = Duration.ofDays(366);
    private static final int MAX_LIMIT = 1000;
    private static final String WHAT = "the query history";

    private final AnalyticsDao dao;
    private final Clock clock;

    @Inject
    public AnalyticsResource(AnalyticsDao dao)
    {
        this(dao, Clock.systemUTC());
    }

    public AnalyticsResource(AnalyticsDao dao, Clock clock)
    {
        this.dao = requireNonNull(dao, "dao is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public record ThroughputAnswer(Instant from, Instant to, long bucketSeconds, List<QueryCountPoint> byCluster, List<QueryCountPoint> byGroup) {}

    public record LatencyAnswer(Instant from, Instant to, long bucketSeconds, List<LatencyPoint> byCluster, List<LatencyPoint> byGroup) {}

    public record SuccessAnswer(Instant from, Instant to, List<SuccessRate> byCluster, List<SuccessRate> byUser) {}

    public record TopUsersAnswer(Instant from, Instant to, List<UserUsage> byCpu, List<UserUsage> byBytes) {}

    public record SlowTablesAnswer(Instant from, Instant to, List<TableLatency> tables) {}

    public record LostAnswer(Instant from, Instant to, List<LostQueries> restarts) {}

    @GET
    @Path("throughput")
    public ThroughputAnswer throughput(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("range") String range)
    {
        AnalyticsRange window = range(from, to, range);
        Throughput throughput = fromMysql(WHAT, () -> dao.throughput(window));
        return new ThroughputAnswer(window.from(), window.to(), window.bucketSeconds(), throughput.byCluster(), throughput.byGroup());
    }

    @GET
    @Path("latency")
    public LatencyAnswer latency(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("range") String range)
    {
        AnalyticsRange window = range(from, to, range);
        Latency latency = fromMysql(WHAT, () -> dao.latency(window));
        return new LatencyAnswer(window.from(), window.to(), window.bucketSeconds(), latency.byCluster(), latency.byGroup());
    }

    @GET
    @Path("success")
    public SuccessAnswer success(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("range") String range, @QueryParam("limit") String limit)
    {
        AnalyticsRange window = range(from, to, range);
        int users = limit(limit, MAX_LIMIT);
        Success success = fromMysql(WHAT, () -> dao.success(window, users));
        return new SuccessAnswer(window.from(), window.to(), success.byCluster(), success.byUser());
    }

    @GET
    @Path("top-users")
    public TopUsersAnswer topUsers(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("range") String range, @QueryParam("limit") String limit)
    {
        AnalyticsRange window = range(from, to, range);
        int users = limit(limit, MAX_LIMIT);
        TopUsers top = fromMysql(WHAT, () -> dao.topUsers(window, users));
        return new TopUsersAnswer(window.from(), window.to(), top.byCpu(), top.byBytes());
    }

    @GET
    @Path("slow-tables")
    public SlowTablesAnswer slowTables(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("range") String range, @QueryParam("limit") String limit)
    {
        AnalyticsRange window = range(from, to, range);
        int tables = limit(limit, MAX_LIMIT);
        return new SlowTablesAnswer(window.from(), window.to(), fromMysql(WHAT, () -> dao.slowTables(window, tables)));
    }

    @GET
    @Path("lost")
    public LostAnswer lost(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("range") String range)
    {
        AnalyticsRange window = range(from, to, range);
        return new LostAnswer(window.from(), window.to(), fromMysql(WHAT, () -> dao.lost(window)));
    }

    private AnalyticsRange range(String fromParameter, String toParameter, String rangeParameter)
    {
        Optional<Instant> from = optional(fromParameter).map(value -> instant("from", value));
        Instant to = optional(toParameter).map(value -> instant("to", value)).orElseGet(clock::instant);
        Optional<Duration> length = optional(rangeParameter).map(AnalyticsResource::length);
        if (from.isPresent() && length.isPresent()) {
            throw new GatewayException(INVALID_REQUEST, "range cannot be combined with from: give from and to, or range and optionally to");
        }
        Instant start = from.orElseGet(() -> to.minus(length.orElse(DEFAULT_RANGE)));
        if (!start.isBefore(to)) {
            throw new GatewayException(INVALID_REQUEST, "from must be before to, was from=" + start + " to=" + to);
        }
        if (Duration.between(start, to).compareTo(LONGEST_RANGE) > 0) {
            throw new GatewayException(INVALID_REQUEST, "the range from " + start + " to " + to + " is longer than " + LONGEST_RANGE.toDays() + " days");
        }
        return AnalyticsRange.of(start, to);
    }

    private static Duration length(String range)
    {
        Duration length = RANGES.get(range.toLowerCase(Locale.ENGLISH));
        if (length == null) {
            throw new GatewayException(INVALID_REQUEST, "range must be one of hour, day, week, month (30 days), was '" + range + "'");
        }
        return length;
    }
}
