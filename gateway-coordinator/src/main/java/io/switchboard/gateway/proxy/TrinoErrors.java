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
package io.switchboard.gateway.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import io.trino.client.QueryError;
import io.trino.client.QueryResults;
import io.trino.client.StatementStats;
import io.trino.client.Warning;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Errors a Trino client shows to a person, and the QUEUED answers of the gateway's admission queue. For statement requests they take the shape of a
 * failed query (so the CLI and JDBC print the message as a query failure); for other paths a
 * JSON body with an HTTP error status. The failed query is trino-client's own {@link QueryResults}.
 */
final class TrinoErrors
{
    private static final Warning.Code QUEUED_WARNING = new Warning.Code(0x7F00_0100, "SWITCHBOARD_QUEUED");
    private static final DateTimeFormatter QUERY_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final ObjectMapper mapper;
    private final ProxyMetrics metrics;

    TrinoErrors(ObjectMapper mapper, ProxyMetrics metrics)
    {
        this.mapper = mapper;
        this.metrics = metrics;
    }

    enum Kind
    {
        // Trino's own error codes, so that clients and tools that know them recognize them
        QUERY_QUEUE_FULL(0x0002_0002, "QUERY_QUEUE_FULL", "INSUFFICIENT_RESOURCES", 503),
        EXCEEDED_TIME_LIMIT(0x0002_0003, "EXCEEDED_TIME_LIMIT", "INSUFFICIENT_RESOURCES", 503),
        NO_CLUSTER_AVAILABLE(0x7F00_0001, "INSUFFICIENT_RESOURCES", 503),
        UNKNOWN_CLUSTER(0x7F00_0002, "USER_ERROR", 404),
        UNKNOWN_QUERY(0x7F00_0003, "USER_ERROR", 404),
        CLUSTER_UNREACHABLE(0x7F00_0004, "EXTERNAL", 502),
        CLUSTER_MISCONFIGURED(0x7F00_0005, "EXTERNAL", 502),
        NOT_ROUTABLE(0x7F00_0006, "USER_ERROR", 404),
        STATEMENT_TOO_LARGE(0x7F00_0008, "USER_ERROR", 413),
        TRANSACTION_UNAVAILABLE(0x7F00_0009, "USER_ERROR", 404),
        UNKNOWN_QUEUED_QUERY(0x7F00_000A, "USER_ERROR", 404),
        QUEUED_QUERY_CANCELLED(0x7F00_000B, "USER_ERROR", 410);

        private final int code;
        private final String errorName;
        private final String type;
        private final int httpStatus;

        Kind(int code, String type, int httpStatus)
        {
            this.code = code;
            this.errorName = "SWITCHBOARD_" + name();
            this.type = type;
            this.httpStatus = httpStatus;
        }

        Kind(int code, String errorName, String type, int httpStatus)
        {
            this.code = code;
            this.errorName = errorName;
            this.type = type;
            this.httpStatus = httpStatus;
        }
    }

    /**
     * Writes the error and completes the callback.
     */
    void write(Request request, Response response, Callback callback, Kind kind, String message)
    {
        metrics.error(kind);
        String path = request.getHttpURI().getPath();
        byte[] body;
        if (path.startsWith("/v1/statement") || path.contains("/v1/statement/")) {
            response.setStatus(200);
            body = json(failedQuery(request, kind, message));
        }
        else {
            response.setStatus(kind.httpStatus);
            body = json(ImmutableMap.of("error", message, "errorName", kind.errorName));
        }
        writeJson(response, callback, body);
    }

    /**
     * Answers a poll of a query waiting in the gateway's queue: still QUEUED, poll {@code nextUri} again.
     */
    void writeQueued(Request request, Response response, Callback callback, String queryId, URI nextUri, long waitedMillis, String status)
    {
        StatementStats stats = StatementStats.builder()
                .setState("QUEUED")
                .setQueued(true)
                .setScheduled(false)
                .setProgressPercentage(OptionalDouble.empty())
                .setRunningPercentage(OptionalDouble.empty())
                .setQueuedTimeMillis(waitedMillis)
                .setElapsedTimeMillis(waitedMillis)
                .build();
        QueryResults queued = new QueryResults(queryId, baseUri(request).resolve("/ui/"), null, nextUri, null, null, stats, null, List.of(new Warning(QUEUED_WARNING, status)), null, OptionalLong.empty());
        response.setStatus(200);
        writeJson(response, callback, json(queued));
    }

    static URI baseUri(Request request)
    {
        return URI.create(request.getHttpURI().getScheme() + "://" + request.getHttpURI().getAuthority() + "/");
    }

    private static void writeJson(Response response, Callback callback, byte[] body)
    {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static QueryResults failedQuery(Request request, Kind kind, String message)
    {
        // a query the cluster knows keeps its id; only a new query that reached no cluster gets one of the gateway's
        String queryId = TrinoPath.statementQueryId(request.getHttpURI().getPath())
                .orElseGet(() -> LocalDateTime.now().format(QUERY_ID_TIME) + "_gateway_" + Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF), 36));
        URI base = baseUri(request);
        StatementStats stats = StatementStats.builder()
                .setState("FAILED")
                .setProgressPercentage(OptionalDouble.empty())
                .setRunningPercentage(OptionalDouble.empty())
                .build();
        QueryError error = new QueryError(message, null, kind.code, kind.errorName, kind.type, null, null);
        return new QueryResults(queryId, base.resolve("/ui/"), null, null, null, null, stats, error, List.of(), null, OptionalLong.empty());
    }

    private byte[] json(Object value)
    {
        try {
            return mapper.writeValueAsBytes(value);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
