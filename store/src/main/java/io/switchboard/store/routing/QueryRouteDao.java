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

import javax.sql.DataSource;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The {@code query_routes} table: where the gateway sent each query. The event listener records
 * the same queries in {@code queries}; the history joins the two by query id.
 */
public class QueryRouteDao
{
    private static final String UPSERT = "INSERT INTO query_routes (query_id, cluster_name, routing_group, gateway_id, received_at, user_name, source) " +
            "VALUES (?, ?, ?, ?, FROM_UNIXTIME(? / 1000), ?, ?) " +
            "ON DUPLICATE KEY UPDATE cluster_name = VALUES(cluster_name), routing_group = VALUES(routing_group), " +
            "gateway_id = VALUES(gateway_id), received_at = VALUES(received_at), user_name = VALUES(user_name), source = VALUES(source)";

    private final Jdbi jdbi;

    public QueryRouteDao(DataSource dataSource)
    {
        this.jdbi = Jdbi.create(requireNonNull(dataSource, "dataSource is null"));
    }

    public void upsert(List<QueryRoute> routes)
    {
        if (routes.isEmpty()) {
            return;
        }
        // plain JDBC: one row per query, on the submit path's budget. JDBI's binding cost about as much
        // CPU as the rest of the write; the batch goes out as one multi-row statement (rewriteBatchedStatements),
        // atomic without a transaction's extra round trips
        jdbi.useHandle(handle -> {
            try (PreparedStatement statement = handle.getConnection().prepareStatement(UPSERT)) {
                for (QueryRoute route : routes) {
                    statement.setString(1, route.queryId());
                    statement.setString(2, route.clusterName());
                    statement.setString(3, route.routingGroup());
                    statement.setString(4, route.gatewayId());
                    // a number, not a Timestamp: the driver formats each Timestamp with a new SimpleDateFormat
                    statement.setLong(5, route.receivedAt().toEpochMilli());
                    statement.setString(6, route.user().orElse(null));
                    statement.setString(7, route.source().orElse(null));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            catch (SQLException e) {
                throw new UnableToExecuteStatementException("Cannot write %s query routes".formatted(routes.size()), e, null);
            }
        });
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
