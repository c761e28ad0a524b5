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
package io.switchboard.store;

import io.switchboard.store.history.ClusterQueryCount;
import io.switchboard.store.history.QueryCursor;
import io.switchboard.store.history.QueryDetails;
import io.switchboard.store.history.QueryError;
import io.switchboard.store.history.QueryEvent;
import io.switchboard.store.history.QueryEventWriter;
import io.switchboard.store.history.QueryFilter;
import io.switchboard.store.history.QueryHistoryDao;
import io.switchboard.store.history.QueryMetrics;
import io.switchboard.store.history.QueryPage;
import io.switchboard.store.history.QuerySummary;
import io.switchboard.store.history.TableName;
import io.switchboard.store.routing.QueryRoute;
import io.switchboard.store.routing.QueryRouteDao;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

@TestInstance(PER_CLASS)
final class TestQueryHistoryDao
{
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

    private TestingStore store;
    private DataSource dataSource;
    private QueryEventWriter writer;
    private QueryHistoryDao dao;
    private QueryRouteDao routes;

    @BeforeAll
    void setUp()
    {
        store = TestingStore.start();
        dataSource = store.dataSource();
        writer = new QueryEventWriter(Jdbi.create(dataSource));
        dao = new QueryHistoryDao(Jdbi.create(dataSource));
        routes = new QueryRouteDao(Jdbi.create(dataSource));
    }

    @AfterAll
    void tearDown()
    {
        if (store != null) {
            store.close();
        }
    }

    @BeforeEach
    void emptyTables()
    {
        jdbi().useHandle(handle -> {
            handle.execute("DELETE FROM query_tables");
            handle.execute("DELETE FROM queries");
            handle.execute("DELETE FROM query_routes");
        });
    }

    @Test
    void lateCreatedNeverOverwritesTheFinalStateAndDuplicatesChangeNothing()
    {
        QueryEvent completed = completed("q1", "adhoc-1", "alice", T0, "FAILED", Optional.of(new QueryError(1, "SYNTAX_ERROR", "USER_ERROR", Optional.of("line 1:1: mismatched input"))));
        writer.write(List.of(completed, completed));
        writer.write(List.of(created("q1", "adhoc-1", "alice", T0)));
        writer.write(List.of(created("q1", "adhoc-1", "alice", T0), completed));

        QueryDetails details = dao.get("q1").orElseThrow();
        assertThat(details.state()).contains("FAILED");
        assertThat(details.error()).contains(new QueryError(1, "SYNTAX_ERROR", "USER_ERROR", Optional.of("line 1:1: mismatched input")));
        assertThat(details.createdAt()).contains(T0);
        assertThat(details.endedAt()).contains(T0.plusMillis(1500));
        assertThat(details.metrics()).contains(metrics());
        assertThat(details.tablesRead()).containsExactly(new TableName("tpch", "tiny", "nation"), new TableName("tpch", "tiny", "region"));
        assertThat(count("SELECT count(*) FROM queries")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM query_tables")).isEqualTo(2);
    }

    @Test
    void createdThenCompletedInTheSameBatchEndsCompleted()
    {
        writer.write(List.of(created("q2", "adhoc-1", "bob", T0), completed("q2", "adhoc-1", "bob", T0, "FINISHED", Optional.empty())));
        assertThat(dao.get("q2").orElseThrow().state()).contains("FINISHED");
    }

    @Test
    void theRouteIsJoinedToWhatTheListenerReported()
    {
        routes.upsert(List.of(new QueryRoute("q3", "adhoc-1", "adhoc", "gateway-a", T0.minusMillis(5), Optional.of("carol"), Optional.of("jdbc"), Optional.empty(), OptionalLong.of(2500))));
        QueryDetails routedOnly = dao.get("q3").orElseThrow();
        assertThat(routedOnly.queuedInGatewayMillis()).hasValue(2500);
        assertThat(routedOnly.clusterName()).contains("adhoc-1");
        assertThat(routedOnly.routingGroup()).contains("adhoc");
        assertThat(routedOnly.user()).contains("carol");
        assertThat(routedOnly.state()).as("not reported by an event listener yet").isEmpty();
        assertThat(routedOnly.updatedAt()).isEqualTo(T0.minusMillis(5));
        assertThat(ids(dao.search(QueryFilter.ALL, 100, 0))).as("the history lists what clusters reported").isEmpty();

        writer.write(List.of(created("q3", "adhoc-1", "carol", T0)));
        QueryDetails afterCreated = dao.get("q3").orElseThrow();
        assertThat(afterCreated.state()).contains("QUEUED");
        assertThat(afterCreated.queryText()).contains("SELECT * FROM nation");

        writer.write(List.of(completed("q3", "adhoc-1", "carol", T0, "FINISHED", Optional.empty()).withoutQueryText()));
        QueryDetails details = dao.get("q3").orElseThrow();
        assertThat(details.routingGroup()).contains("adhoc");
        assertThat(details.gatewayId()).contains("gateway-a");
        assertThat(details.receivedAt()).contains(T0.minusMillis(5));
        assertThat(details.user()).contains("carol");
        assertThat(details.source()).as("the listener's source wins over the client's").contains("trino-cli");
        assertThat(details.state()).contains("FINISHED");
        assertThat(details.queryText()).as("a completed event without text keeps the stored text").contains("SELECT * FROM nation");
        assertThat(dao.get("never-seen")).isEmpty();

        writer.write(List.of(completed("direct", "etl-1", "dave", T0.plusSeconds(1), "FINISHED", Optional.empty())));
        assertThat(dao.search(QueryFilter.ALL, 100, 0))
                .extracting(QuerySummary::queryId, QuerySummary::routingGroup)
                .containsExactly(tuple("direct", Optional.empty()), tuple("q3", Optional.of("adhoc")));
        QueryFilter adhoc = new QueryFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("adhoc"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(ids(dao.search(adhoc, 100, 0))).containsExactly("q3");
    }

    @Test
    void searchFiltersAndPages()
    {
        List<QueryEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String cluster = i % 2 == 0 ? "adhoc-1" : "etl-1";
            String user = i < 3 ? "alice" : "bob";
            events.add(completed("q%02d".formatted(i), cluster, user, T0.plusSeconds(i), i == 9 ? "FAILED" : "FINISHED", Optional.empty()));
        }
        events.add(created("running_100%_sure", "etl-1", "dave", T0.plusSeconds(20)));
        writer.write(events);

        assertThat(ids(dao.search(QueryFilter.ALL, 3, 0))).containsExactly("running_100%_sure", "q09", "q08");
        assertThat(ids(dao.search(QueryFilter.ALL, 3, 3))).containsExactly("q07", "q06", "q05");
        assertThat(ids(dao.search(filter(Optional.of("alice"), Optional.empty(), Optional.empty(), Optional.empty()), 100, 0)))
                .containsExactly("q02", "q01", "q00");
        assertThat(ids(dao.search(filter(Optional.empty(), Optional.of("etl-1"), Optional.of("FAILED"), Optional.empty()), 100, 0)))
                .containsExactly("q09");
        assertThat(ids(dao.search(filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("100%")), 100, 0)))
                .as("text search treats %% literally").containsExactly("running_100%_sure");
        assertThat(ids(dao.search(filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("FROM NATION")), 100, 0)))
                .as("text search in the SQL, ignoring case").hasSize(11);
        QueryFilter range = new QueryFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(T0.plusSeconds(2)), Optional.of(T0.plusSeconds(4)), Optional.empty());
        assertThat(ids(dao.search(range, 100, 0))).containsExactly("q03", "q02");

        List<String> paged = new ArrayList<>();
        Optional<QueryCursor> cursor = Optional.empty();
        for (int page = 0; page < 10; page++) {
            QueryPage result = dao.searchAfter(QueryFilter.ALL, cursor, 4);
            paged.addAll(ids(result.queries()));
            cursor = result.next();
            if (cursor.isEmpty()) {
                break;
            }
        }
        assertThat(paged).containsExactlyElementsOf(ids(dao.search(QueryFilter.ALL, 100, 0))).hasSize(11);
    }

    @Test
    void distributionOverClusters()
    {
        writer.write(List.of(
                completed("a", "adhoc-1", "alice", T0, "FINISHED", Optional.empty()),
                completed("b", "adhoc-1", "alice", T0.plusSeconds(1), "FAILED", Optional.empty()),
                created("c", "adhoc-1", "alice", T0.plusSeconds(2)),
                completed("d", "etl-1", "bob", T0.plusSeconds(3), "FINISHED", Optional.empty()),
                completed("e", "etl-1", "bob", T0.plusSeconds(3600), "FINISHED", Optional.empty())));
        assertThat(dao.distributionByCluster(T0, T0.plusSeconds(60))).containsExactly(
                new ClusterQueryCount("adhoc-1", 3, 1, 1, 1),
                new ClusterQueryCount("etl-1", 1, 1, 0, 0));
    }

    @Test
    void deleteOlderThanInSmallBatches()
    {
        List<QueryEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(completed("old" + i, "adhoc-1", "alice", T0.minusSeconds(3600 + i), "FINISHED", Optional.empty()));
        }
        events.add(completed("new", "adhoc-1", "alice", T0, "FINISHED", Optional.empty()));
        writer.write(events);
        routes.upsert(IntStream.range(0, 23)
                .mapToObj(i -> new QueryRoute("old" + i, "adhoc-1", "adhoc", "gateway-a", T0.minusSeconds(3600 + i), Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty()))
                .toList());
        routes.upsert(List.of(new QueryRoute("new", "adhoc-1", "adhoc", "gateway-a", T0, Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty())));

        assertThat(dao.deleteOlderThan(T0.minusSeconds(60), 10)).isEqualTo(25);
        assertThat(count("SELECT count(*) FROM query_routes")).isEqualTo(1);
        assertThat(ids(dao.search(QueryFilter.ALL, 100, 0))).containsExactly("new");
        assertThat(count("SELECT count(*) FROM query_tables")).isEqualTo(2);
        assertThat(dao.deleteOlderThan(T0.minusSeconds(60), 10)).isZero();
    }

    private static QueryFilter filter(Optional<String> user, Optional<String> cluster, Optional<String> state, Optional<String> text)
    {
        return new QueryFilter(user, Optional.empty(), cluster, Optional.empty(), state, Optional.empty(), Optional.empty(), text);
    }

    private static List<String> ids(List<QuerySummary> queries)
    {
        return queries.stream().map(QuerySummary::queryId).toList();
    }

    private static QueryEvent created(String queryId, String cluster, String user, Instant createdAt)
    {
        return new QueryEvent(queryId, cluster, "QUEUED", user, Optional.of("trino-cli"), Optional.empty(), Optional.of("tpch"), Optional.of("tiny"),
                Optional.of("SELECT * FROM nation"), Optional.empty(), createdAt, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    private static QueryEvent completed(String queryId, String cluster, String user, Instant createdAt, String state, Optional<QueryError> error)
    {
        return new QueryEvent(queryId, cluster, state, user, Optional.of("trino-cli"), Optional.of("nightly"), Optional.of("tpch"), Optional.of("tiny"),
                Optional.of("SELECT * FROM nation"), Optional.of("global"), createdAt, Optional.of(createdAt.plusMillis(100)), Optional.of(createdAt.plusMillis(1500)),
                error, Optional.of(metrics()), List.of(new TableName("tpch", "tiny", "nation"), new TableName("tpch", "tiny", "region")));
    }

    private static QueryMetrics metrics()
    {
        return new QueryMetrics(100, 1500, 700, 1 << 20, 25, 2000, 25, 1200, 0);
    }

    private long count(String sql)
    {
        return jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    private Jdbi jdbi()
    {
        return Jdbi.create(dataSource);
    }
}
