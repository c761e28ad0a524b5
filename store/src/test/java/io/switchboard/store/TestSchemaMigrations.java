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

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

@TestInstance(PER_CLASS)
final class TestSchemaMigrations
{
    private EmbeddedMysql mysql;

    @BeforeAll
    void startMysql()
    {
        mysql = EmbeddedMysql.startTemporary("switchboard");
    }

    @AfterAll
    void stopMysql()
    {
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void migrationsCreateTheSchemaOnceEvenWhenRunConcurrently()
            throws Exception
    {
        MysqlConnection freshDatabase = createDatabase("concurrent_migrations");
        List<HikariDataSource> pools = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                HikariDataSource pool = MysqlDataSources.create(freshDatabase, "migrator-" + i, 2);
                pools.add(pool);
                results.add(executor.submit((Callable<Integer>) () -> SchemaMigrations.apply(pool)));
            }
            int executed = 0;
            for (Future<Integer> result : results) {
                executed += result.get();
            }
            // once more, sequentially: nothing to do
            assertThat(SchemaMigrations.apply(pools.getFirst())).isZero();

            Jdbi jdbi = Jdbi.create(pools.getFirst());
            int recorded = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM schema_history WHERE success = 1")
                    .mapTo(Integer.class)
                    .one());
            // every migration ran exactly once across the concurrent callers
            assertThat(executed).isPositive().isEqualTo(recorded);

            List<String> tables = jdbi.withHandle(handle -> handle.createQuery(
                            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name")
                    .mapTo(String.class)
                    .list());
            assertThat(tables).containsExactlyInAnyOrder("audit_log", "cluster_health_events", "cluster_status", "clusters", "gateway_leases", "queries", "query_routes", "query_stats_hourly", "query_stats_rollup", "query_table_stats_daily", "query_table_stats_hourly", "query_tables", "query_user_stats_daily", "query_user_stats_hourly", "rolling_restarts", "routing_rules", "schema_history", "transaction_routes");
        }
        finally {
            pools.forEach(HikariDataSource::close);
        }
    }

    private MysqlConnection createDatabase(String name)
    {
        try (HikariDataSource pool = MysqlDataSources.create(mysql.connection(), "admin", 1)) {
            Jdbi.create(pool).useHandle(handle -> handle.execute("CREATE DATABASE " + name));
        }
        return new MysqlConnection(mysql.jdbcUrl().replaceFirst("/[^/]+$", "/" + name), mysql.connection().user(), "");
    }

    @Test
    void queriesTableAcceptsACompleteRowInUtc()
    {
        try (HikariDataSource pool = MysqlDataSources.create(mysql.connection(), "writer", 2)) {
            SchemaMigrations.apply(pool);
            Jdbi jdbi = Jdbi.create(pool);
            jdbi.useHandle(handle -> handle.execute(
                    "INSERT INTO queries (query_id, cluster_name, user_name, query_text, state, created_at, ended_at, wall_time_ms) " +
                            "VALUES ('20260101_000000_00001_abcde', 'adhoc-1', 'alice', 'SELECT 1', 'FINISHED', " +
                            "'2026-01-01 00:00:00.000', '2026-01-01 00:00:01.250', 1250)"));
            String row = jdbi.withHandle(handle -> handle.createQuery(
                            "SELECT CONCAT(cluster_name, '|', user_name, '|', state, '|', TIMESTAMPDIFF(MICROSECOND, created_at, ended_at) DIV 1000) " +
                                    "FROM queries WHERE query_id = '20260101_000000_00001_abcde'")
                    .mapTo(String.class)
                    .one());
            assertThat(row).isEqualTo("adhoc-1|alice|FINISHED|1250");
            String timeZone = jdbi.withHandle(handle -> handle.createQuery("SELECT @@session.time_zone").mapTo(String.class).one());
            assertThat(timeZone).isIn("+00:00", "UTC");
        }
    }

    @Test
    void routesMoveOutOfTheQueriesTable()
    {
        MysqlConnection database = createDatabase("routes_move");
        try (HikariDataSource pool = MysqlDataSources.create(database, "routes-move", 1)) {
            Flyway.configure(SchemaMigrations.class.getClassLoader())
                    .dataSource(pool)
                    .locations(SchemaMigrations.LOCATION)
                    .table("schema_history")
                    .target("6")
                    .load()
                    .migrate();
            Jdbi jdbi = Jdbi.create(pool);
            jdbi.useHandle(handle -> handle.execute("INSERT INTO queries (query_id, cluster_name, routing_group, gateway_id, received_at, user_name, source, state, created_at) VALUES " +
                    "('routed_and_reported', 'adhoc-1', 'adhoc', 'gateway-a', '2026-01-01 00:00:00.100', 'alice', 'cli', 'FINISHED', '2026-01-01 00:00:00.200'), " +
                    "('routed_only', 'adhoc-2', 'adhoc', 'gateway-b', '2026-01-01 00:00:01.100', 'bob', NULL, NULL, NULL), " +
                    "('direct', 'etl-1', NULL, NULL, NULL, 'carol', 'jdbc', 'RUNNING', '2026-01-01 00:00:02.000')"));

            assertThat(SchemaMigrations.apply(pool)).isPositive();

            assertThat(strings(jdbi, "SELECT CONCAT_WS('|', query_id, cluster_name, routing_group, gateway_id, received_at, user_name) FROM query_routes ORDER BY query_id"))
                    .containsExactly(
                            "routed_and_reported|adhoc-1|adhoc|gateway-a|2026-01-01 00:00:00.100|alice",
                            "routed_only|adhoc-2|adhoc|gateway-b|2026-01-01 00:00:01.100|bob");
            assertThat(strings(jdbi, "SELECT query_id FROM queries ORDER BY query_id"))
                    .containsExactly("direct", "routed_and_reported");
            assertThat(strings(jdbi, "SELECT column_name FROM information_schema.columns " +
                    "WHERE table_schema = DATABASE() AND table_name = 'queries' AND column_name IN ('routing_group', 'gateway_id', 'received_at')"))
                    .isEmpty();
        }
    }

    @Test
    void checkReadsTheVersionWithoutChangingTheSchema()
    {
        MysqlConnection database = createDatabase("checked");
        try (HikariDataSource pool = MysqlDataSources.create(database, "checked", 1)) {
            SchemaStatus empty = SchemaMigrations.check(pool);
            assertThat(empty.version()).isEmpty();
            assertThat(empty.upToDate()).isFalse();
            assertThat(empty.describe()).isEqualTo("has no schema yet");
            Jdbi jdbi = Jdbi.create(pool);
            assertThat(strings(jdbi, "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")).isEmpty();

            Flyway.configure(SchemaMigrations.class.getClassLoader())
                    .dataSource(pool)
                    .locations(SchemaMigrations.LOCATION)
                    .table("schema_history")
                    .target("7")
                    .load()
                    .migrate();
            SchemaStatus older = SchemaMigrations.check(pool);
            assertThat(older.version()).contains("7");
            assertThat(older.requiredVersion()).isEqualTo(empty.requiredVersion());
            assertThat(Integer.parseInt(older.requiredVersion())).isGreaterThan(7);
            assertThat(older.upToDate()).isFalse();
            assertThat(older.describe()).isEqualTo("is at schema version 7");

            assertThat(SchemaMigrations.apply(pool)).isPositive();
            SchemaStatus current = SchemaMigrations.check(pool);
            // the newest migration this module ships is the one the plugins need: raise requiredVersion() with every migration
            assertThat(current.version()).contains(SchemaMigrations.requiredVersion());
            assertThat(current.requiredVersion()).isEqualTo(SchemaMigrations.requiredVersion());
            assertThat(current.upToDate()).isTrue();

            // a migration that failed does not count
            jdbi.useHandle(handle -> handle.execute("INSERT INTO schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) " +
                    "VALUES (999, '999', 'failed', 'SQL', 'V999__failed.sql', 0, 'test', 1, 0)"));
            assertThat(SchemaMigrations.check(pool)).isEqualTo(current);

            // a gateway of a later release migrated further (versions compare as numbers, not strings): newer is fine
            jdbi.useHandle(handle -> handle.execute("INSERT INTO schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) " +
                    "VALUES (1000, '1000', 'from a later release', 'SQL', 'V1000__from_a_later_release.sql', 0, 'test', 1, 1)"));
            SchemaStatus newer = SchemaMigrations.check(pool);
            assertThat(newer.version()).contains("1000");
            assertThat(newer.requiredVersion()).isEqualTo(current.requiredVersion());
            assertThat(newer.upToDate()).isTrue();
        }
    }

    private static List<String> strings(Jdbi jdbi, String sql)
    {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).list());
    }
}
