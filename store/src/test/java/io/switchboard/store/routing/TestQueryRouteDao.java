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

import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.store.MysqlDataSources;
import io.switchboard.store.TestingStore;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;

import static io.switchboard.store.routing.QueryRouteDao.MAX_ROWS_PER_STATEMENT;
import static java.util.Locale.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

@TestInstance(PER_CLASS)
final class TestQueryRouteDao
{
    private static final Instant RECEIVED = Instant.parse("2026-03-01T23:59:59.987Z");

    private TestingStore store;
    private HikariDataSource batches;
    private QueryRouteDao dao;
    private Jdbi jdbi;

    @BeforeAll
    void setUp()
    {
        store = TestingStore.start();
        // as the gateway writes them: statements prepared on the server
        batches = MysqlDataSources.createForBatches(store.connection(), "route-writes");
        dao = new QueryRouteDao(Jdbi.create(batches));
        jdbi = Jdbi.create(store.dataSource());
    }

    @AfterAll
    void tearDown()
    {
        if (batches != null) {
            batches.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @BeforeEach
    void emptyTables()
    {
        jdbi.useHandle(handle -> {
            handle.execute("DELETE FROM queries");
            handle.execute("DELETE FROM query_routes");
        });
    }

    @Test
    void writesEveryColumnOfTheRouteWithMillisecondsInUtc()
    {
        dao.upsert(List.of(new QueryRoute("q1", "adhoc-1", "adhoc", "gateway-a", RECEIVED, Optional.of("alice"), Optional.of("cli"), Optional.empty(), OptionalLong.empty())));

        Map<String, Object> row = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT cluster_name, routing_group, gateway_id, user_name, source FROM query_routes WHERE query_id = 'q1'")
                .mapToMap()
                .one());
        assertThat(row)
                .containsEntry("cluster_name", "adhoc-1")
                .containsEntry("routing_group", "adhoc")
                .containsEntry("gateway_id", "gateway-a")
                .containsEntry("user_name", "alice")
                .containsEntry("source", "cli");
        assertThat(receivedAt("q1")).isEqualTo(RECEIVED);
        assertThat(dao.findCluster("q1")).contains("adhoc-1");
        assertThat(dao.findCluster("unknown")).isEmpty();
    }

    @Test
    void writesTheWaitInTheGatewaysQueueOfAQueuedQueryOnly()
    {
        dao.upsert(List.of(
                new QueryRoute("queued", "adhoc-1", "adhoc", "gateway-a", RECEIVED, Optional.of("alice"), Optional.empty(), Optional.of("etl-first"), OptionalLong.of(1234)),
                new QueryRoute("direct", "adhoc-1", "adhoc", "gateway-a", RECEIVED, Optional.of("alice"), Optional.empty(), Optional.empty(), OptionalLong.empty())));

        Map<String, String> waits = new HashMap<>();
        jdbi.useHandle(handle -> handle.createQuery("SELECT query_id, COALESCE(CAST(queued_in_gateway_ms AS CHAR), 'NULL') AS waited FROM query_routes")
                .map((rs, _) -> waits.put(rs.getString("query_id"), rs.getString("waited")))
                .list());
        assertThat(waits).containsEntry("queued", "1234").containsEntry("direct", "NULL");
    }

    @Test
    void leavesTheListenersRowAlone()
    {
        jdbi.useHandle(handle -> handle.execute("INSERT INTO queries (query_id, cluster_name, user_name, source, state) VALUES ('q2', 'adhoc-2', 'bob', 'jdbc', 'FINISHED')"));

        dao.upsert(List.of(new QueryRoute("q2", "adhoc-2", "adhoc", "gateway-b", RECEIVED, Optional.empty(), Optional.of("other"), Optional.empty(), OptionalLong.empty())));

        Map<String, Object> row = jdbi.withHandle(handle -> handle.createQuery("SELECT cluster_name, user_name, source, state FROM queries WHERE query_id = 'q2'")
                .mapToMap()
                .one());
        assertThat(row)
                .containsEntry("cluster_name", "adhoc-2")
                .containsEntry("user_name", "bob")
                .containsEntry("source", "jdbc")
                .containsEntry("state", "FINISHED");
        assertThat(dao.findCluster("q2")).contains("adhoc-2");
    }

    @Test
    void findsQueriesSubmittedDirectlyToACluster()
    {
        jdbi.useHandle(handle -> handle.execute("INSERT INTO queries (query_id, cluster_name, state) VALUES ('direct', 'etl-1', 'RUNNING'), ('unattributed', NULL, 'RUNNING')"));

        assertThat(dao.findCluster("direct")).contains("etl-1");
        assertThat(dao.findCluster("unattributed")).isEmpty();
    }

    @Test
    void aSecondWriteOfTheSameRouteReplacesIt()
    {
        dao.upsert(List.of(new QueryRoute("q3", "adhoc-1", "adhoc", "gateway-a", RECEIVED, Optional.of("alice"), Optional.empty(), Optional.empty(), OptionalLong.empty())));
        dao.upsert(List.of(new QueryRoute("q3", "adhoc-2", "adhoc", "gateway-b", RECEIVED.plusSeconds(1), Optional.of("alice"), Optional.of("cli"), Optional.empty(), OptionalLong.empty())));

        assertThat(dao.findCluster("q3")).contains("adhoc-2");
        assertThat(receivedAt("q3")).isEqualTo(RECEIVED.plusSeconds(1));
    }

    @Test
    void writesLargeBatchesOnceEach()
    {
        List<QueryRoute> routes = IntStream.range(0, 1200)
                .mapToObj(i -> new QueryRoute("batch-" + i, "adhoc-" + (i % 3), "adhoc", "gateway-a", RECEIVED.plusMillis(i), Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty()))
                .toList();
        dao.upsert(routes);
        dao.upsert(routes.subList(0, 600));

        assertThat(countRoutes("batch-%")).isEqualTo(1200);
        assertThat(receivedAt("batch-1199")).isEqualTo(RECEIVED.plusMillis(1199));
    }

    @Test
    void aFullBatchIsOneExecutionOfAStatementPreparedOnce()
    {
        dao.upsert(routes("warm-up", MAX_ROWS_PER_STATEMENT));
        long prepared = globalStatus("Com_stmt_prepare");
        long executed = globalStatus("Com_stmt_execute");

        dao.upsert(routes("measured", MAX_ROWS_PER_STATEMENT));

        assertThat(globalStatus("Com_stmt_prepare") - prepared).as("statements prepared").isZero();
        assertThat(globalStatus("Com_stmt_execute") - executed).as("statements executed").isEqualTo(1);
        assertThat(receivedAt("measured-511")).isEqualTo(RECEIVED.plusMillis(511));
        assertThat(countRoutes("measured-%")).isEqualTo(MAX_ROWS_PER_STATEMENT);
    }

    @Test
    void aPartialBatchIsAFewStatementsPreparedOnce()
    {
        // 300 = 256 + 32 + 8 + 4: four statements
        dao.upsert(routes("warm-up", 300));
        long prepared = globalStatus("Com_stmt_prepare");
        long executed = globalStatus("Com_stmt_execute");

        dao.upsert(routes("measured", 300));

        assertThat(globalStatus("Com_stmt_prepare") - prepared).as("statements prepared").isZero();
        assertThat(globalStatus("Com_stmt_execute") - executed).as("statements executed").isEqualTo(4);
        assertThat(countRoutes("measured-%")).isEqualTo(300);
        assertThat(receivedAt("measured-0")).isEqualTo(RECEIVED);
        assertThat(receivedAt("measured-299")).isEqualTo(RECEIVED.plusMillis(299));
    }

    private static List<QueryRoute> routes(String prefix, int count)
    {
        return IntStream.range(0, count)
                .mapToObj(i -> new QueryRoute(prefix + "-" + i, "adhoc-1", "adhoc", "gateway-a", RECEIVED.plusMillis(i), Optional.of("alice"), Optional.empty(), Optional.empty(), OptionalLong.empty()))
                .toList();
    }

    private long countRoutes(String queryIdPattern)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM query_routes WHERE query_id LIKE :pattern")
                .bind("pattern", queryIdPattern)
                .mapTo(Long.class)
                .one());
    }

    private long globalStatus(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT variable_value FROM information_schema.global_status WHERE variable_name = :name")
                .bind("name", name.toUpperCase(ROOT))
                .mapTo(Long.class)
                .one());
    }

    private Instant receivedAt(String queryId)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT received_at FROM query_routes WHERE query_id = :queryId")
                .bind("queryId", queryId)
                .mapTo(Timestamp.class)
                .one()
                .toInstant());
    }
}
