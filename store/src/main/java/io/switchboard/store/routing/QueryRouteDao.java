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
package io.switchboard.store.routing;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static io.switchboard.store.Columns.cut;
import static java.util.Objects.requireNonNull;

/**
 * The {@code query_routes} table: where the gateway sent each query. The event listener records
 * the same queries in {@code queries}; the history joins the two by query id.
 */
public class QueryRouteDao
{
    /**
     * The most rows one statement writes; a writer's batch of this many is one execution.
     */
    public static final int MAX_ROWS_PER_STATEMENT = 512;
    // the length of user_name and source
    private static final int NAME_LENGTH = 256;

    private static final String ROW = "(?, ?, ?, ?, FROM_UNIXTIME(? / 1000), ?, ?, ?, ?)";
    private static final String INSERT = "INSERT INTO query_routes (query_id, cluster_name, routing_group, gateway_id, received_at, user_name, source, routing_rule, queued_in_gateway_ms) VALUES ";
    private static final String ON_DUPLICATE = " ON DUPLICATE KEY UPDATE cluster_name = VALUES(cluster_name), routing_group = VALUES(routing_group), " +
            "gateway_id = VALUES(gateway_id), received_at = VALUES(received_at), user_name = VALUES(user_name), source = VALUES(source), routing_rule = VALUES(routing_rule), queued_in_gateway_ms = VALUES(queued_in_gateway_ms)";
    // statements of 1, 2, 4, ... MAX_ROWS_PER_STATEMENT rows: few enough for the driver to keep each one prepared
    private static final List<String> UPSERTS = IntStream.rangeClosed(0, Integer.numberOfTrailingZeros(MAX_ROWS_PER_STATEMENT))
            .mapToObj(power -> INSERT + String.join(", ", Collections.nCopies(1 << power, ROW)) + ON_DUPLICATE)
            .toList();

    private final Jdbi jdbi;

    public QueryRouteDao(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * Writes the routes in multi-row statements of a power of two rows each, without a
     * transaction: a second write of a route replaces the first, so a failed call is retried whole.
     */
    public void upsert(List<QueryRoute> routes)
    {
        if (routes.isEmpty()) {
            return;
        }
        // plain JDBC, no driver batch: the driver copied every bound value of a batch into a statement
        // it built for it, which cost the submit path more CPU and allocation than the binding itself
        jdbi.useHandle(handle -> {
            int written = 0;
            while (written < routes.size()) {
                int rows = Integer.highestOneBit(Math.min(routes.size() - written, MAX_ROWS_PER_STATEMENT));
                write(handle.getConnection(), routes.subList(written, written + rows));
                written += rows;
            }
        });
    }

    private static void write(Connection connection, List<QueryRoute> routes)
    {
        try (PreparedStatement statement = connection.prepareStatement(UPSERTS.get(Integer.numberOfTrailingZeros(routes.size())))) {
            int parameter = 0;
            for (QueryRoute route : routes) {
                statement.setString(++parameter, route.queryId());
                statement.setString(++parameter, route.clusterName());
                statement.setString(++parameter, route.routingGroup());
                statement.setString(++parameter, route.gatewayId());
                // a number, not a Timestamp: the driver formats each Timestamp with a new SimpleDateFormat
                statement.setLong(++parameter, route.receivedAt().toEpochMilli());
                statement.setString(++parameter, cut(route.user(), NAME_LENGTH));
                statement.setString(++parameter, cut(route.source(), NAME_LENGTH));
                statement.setString(++parameter, route.routingRule().orElse(null));
                if (route.queuedInGatewayMillis().isPresent()) {
                    statement.setLong(++parameter, route.queuedInGatewayMillis().getAsLong());
                }
                else {
                    statement.setNull(++parameter, Types.BIGINT);
                }
            }
            statement.executeUpdate();
        }
        catch (SQLException e) {
            throw new UnableToExecuteStatementException("Cannot write %s query routes".formatted(routes.size()), e, null);
        }
    }

    /**
     * The cluster a gateway sent the query to or, for a query submitted directly to a cluster,
     * the cluster its event listener reported it from.
     */
    public Optional<String> findCluster(String queryId)
    {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT cluster_name FROM query_routes WHERE query_id = :queryId
                        UNION ALL
                        SELECT cluster_name FROM queries WHERE query_id = :queryId AND cluster_name IS NOT NULL
                        LIMIT 1
                        """)
                .bind("queryId", queryId)
                .mapTo(String.class)
                .findFirst());
    }
}
