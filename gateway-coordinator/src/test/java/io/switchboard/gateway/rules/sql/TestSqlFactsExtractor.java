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
package io.switchboard.gateway.rules.sql;

import io.airlift.units.DataSize;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.airlift.units.DataSize.Unit.KILOBYTE;
import static io.switchboard.gateway.rules.sql.StatementType.ANALYZE;
import static io.switchboard.gateway.rules.sql.StatementType.CALL;
import static io.switchboard.gateway.rules.sql.StatementType.COMMIT;
import static io.switchboard.gateway.rules.sql.StatementType.CREATE_MATERIALIZED_VIEW;
import static io.switchboard.gateway.rules.sql.StatementType.CREATE_TABLE;
import static io.switchboard.gateway.rules.sql.StatementType.CREATE_TABLE_AS;
import static io.switchboard.gateway.rules.sql.StatementType.CREATE_VIEW;
import static io.switchboard.gateway.rules.sql.StatementType.DDL;
import static io.switchboard.gateway.rules.sql.StatementType.DEALLOCATE;
import static io.switchboard.gateway.rules.sql.StatementType.DELETE;
import static io.switchboard.gateway.rules.sql.StatementType.DESCRIBE;
import static io.switchboard.gateway.rules.sql.StatementType.DROP_TABLE;
import static io.switchboard.gateway.rules.sql.StatementType.EXECUTE;
import static io.switchboard.gateway.rules.sql.StatementType.EXPLAIN;
import static io.switchboard.gateway.rules.sql.StatementType.EXPLAIN_ANALYZE;
import static io.switchboard.gateway.rules.sql.StatementType.GRANT;
import static io.switchboard.gateway.rules.sql.StatementType.INSERT;
import static io.switchboard.gateway.rules.sql.StatementType.MERGE;
import static io.switchboard.gateway.rules.sql.StatementType.PREPARE;
import static io.switchboard.gateway.rules.sql.StatementType.RESET_SESSION;
import static io.switchboard.gateway.rules.sql.StatementType.REVOKE;
import static io.switchboard.gateway.rules.sql.StatementType.ROLLBACK;
import static io.switchboard.gateway.rules.sql.StatementType.SELECT;
import static io.switchboard.gateway.rules.sql.StatementType.SET_ROLE;
import static io.switchboard.gateway.rules.sql.StatementType.SET_SESSION;
import static io.switchboard.gateway.rules.sql.StatementType.SHOW;
import static io.switchboard.gateway.rules.sql.StatementType.START_TRANSACTION;
import static io.switchboard.gateway.rules.sql.StatementType.TABLE_EXECUTE;
import static io.switchboard.gateway.rules.sql.StatementType.TRUNCATE;
import static io.switchboard.gateway.rules.sql.StatementType.UNKNOWN;
import static io.switchboard.gateway.rules.sql.StatementType.UPDATE;
import static io.switchboard.gateway.rules.sql.StatementType.USE;
import static org.assertj.core.api.Assertions.assertThat;

final class TestSqlFactsExtractor
{
    private final SqlFactsExtractor extractor = new SqlFactsExtractor(DataSize.of(64, KILOBYTE));

    private SqlFacts facts(String sql)
    {
        return extractor.extract(sql, Optional.of("hive"), Optional.of("web"));
    }

    @Test
    void testLongStatementsAreParsedOncePerSessionCatalogAndSchema()
    {
        String longStatement = "SELECT * FROM orders WHERE orderkey IN (" + "1, ".repeat(600) + "2)";
        SqlFacts first = extractor.extract(longStatement, Optional.of("hive"), Optional.of("web"));
        assertThat(first.tablesRead()).containsExactly("hive.web.orders");
        assertThat(extractor.extract(longStatement, Optional.of("hive"), Optional.of("web"))).isSameAs(first);
        // the same text in another session names other tables
        assertThat(extractor.extract(longStatement, Optional.of("tpch"), Optional.of("tiny")).tablesRead()).containsExactly("tpch.tiny.orders");
        assertThat(extractor.extract(longStatement.replace("orders", "lineitem"), Optional.of("hive"), Optional.of("web")).tablesRead()).containsExactly("hive.web.lineitem");
    }

    @Test
    void testSelect()
    {
        SqlFacts facts = facts("SELECT * FROM orders o JOIN tpch.tiny.customer c ON o.custkey = c.custkey");
        assertThat(facts.statementType()).isEqualTo(SELECT);
        assertThat(facts.trinoStatementName()).isEqualTo("Query");
        assertThat(facts.tablesRead()).containsExactlyInAnyOrder("hive.web.orders", "tpch.tiny.customer");
        assertThat(facts.tablesWritten()).isEmpty();
        assertThat(facts.catalogs()).containsExactlyInAnyOrder("hive", "tpch");
        assertThat(facts.schemas()).containsExactlyInAnyOrder("hive.web", "tpch.tiny");
        assertThat(facts.tablesKnown()).isTrue();
        assertThat(facts.parsed()).isTrue();
        assertThat(facts.unqualifiedNames()).isEmpty();
    }

    @Test
    void testSubqueriesUnionsAndLateral()
    {
        SqlFacts facts = facts("""
                SELECT a FROM (SELECT a FROM sales.t1) x
                WHERE a IN (SELECT a FROM t2) AND EXISTS (SELECT 1 FROM iceberg.s.t3)
                UNION ALL SELECT a FROM t4 CROSS JOIN LATERAL (SELECT b FROM t5) y
                INTERSECT SELECT (SELECT max(a) FROM t6) FROM t7
                """);
        assertThat(facts.statementType()).isEqualTo(SELECT);
        assertThat(facts.tablesRead()).containsExactlyInAnyOrder(
                "hive.sales.t1", "hive.web.t2", "iceberg.s.t3", "hive.web.t4", "hive.web.t5", "hive.web.t6", "hive.web.t7");
        assertThat(facts.schemas()).containsExactlyInAnyOrder("hive.sales", "hive.web", "iceberg.s");
    }

    @Test
    void testWithQueriesAreNotTables()
    {
        SqlFacts facts = facts("""
                WITH recent AS (SELECT * FROM orders WHERE day > current_date - INTERVAL '7' DAY),
                     totals AS (SELECT custkey, sum(price) total FROM recent GROUP BY 1)
                SELECT * FROM totals JOIN customer USING (custkey)
                """);
        assertThat(facts.tablesRead()).containsExactlyInAnyOrder("hive.web.orders", "hive.web.customer");

        // a qualified name is never a WITH query; a WITH query's name is not in scope outside its query
        assertThat(facts("WITH t AS (SELECT 1) SELECT * FROM t, web.t, (SELECT * FROM other)").tablesRead())
                .containsExactlyInAnyOrder("hive.web.t", "hive.web.other");
        assertThat(facts("SELECT * FROM (WITH t AS (SELECT 1) SELECT * FROM t) JOIN t ON true").tablesRead())
                .containsExactly("hive.web.t");
        // a WITH query naming itself reads the table, unless RECURSIVE
        assertThat(facts("WITH t AS (SELECT * FROM t) SELECT * FROM t").tablesRead()).containsExactly("hive.web.t");
        assertThat(facts("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3) SELECT * FROM t").tablesRead())
                .isEmpty();
    }

    @Test
    void testInsert()
    {
        SqlFacts facts = facts("INSERT INTO lake.raw.events SELECT * FROM events e WHERE e.id NOT IN (SELECT id FROM lake.raw.events)");
        assertThat(facts.statementType()).isEqualTo(INSERT);
        assertThat(facts.trinoStatementName()).isEqualTo("Insert");
        assertThat(facts.tablesWritten()).containsExactly("lake.raw.events");
        assertThat(facts.tablesRead()).containsExactlyInAnyOrder("hive.web.events", "lake.raw.events");
        assertThat(facts.catalogs()).containsExactlyInAnyOrder("lake", "hive");

        assertThat(facts("INSERT INTO t VALUES (1, 'a')").tablesRead()).isEmpty();
    }

    @Test
    void testCreateTableAs()
    {
        SqlFacts facts = facts("CREATE TABLE IF NOT EXISTS archive.orders_2024 WITH (format = 'ORC') AS SELECT * FROM orders WHERE year = 2024");
        assertThat(facts.statementType()).isEqualTo(CREATE_TABLE_AS);
        assertThat(facts.trinoStatementName()).isEqualTo("CreateTableAsSelect");
        assertThat(facts.tablesWritten()).containsExactly("hive.archive.orders_2024");
        assertThat(facts.tablesRead()).containsExactly("hive.web.orders");
    }

    @Test
    void testDeleteUpdateMerge()
    {
        SqlFacts delete = facts("DELETE FROM orders WHERE custkey IN (SELECT custkey FROM churned)");
        assertThat(delete.statementType()).isEqualTo(DELETE);
        assertThat(delete.tablesWritten()).containsExactly("hive.web.orders");
        assertThat(delete.tablesRead()).containsExactly("hive.web.churned");

        SqlFacts update = facts("UPDATE iceberg.s.orders SET price = (SELECT max(price) FROM prices) WHERE id IN (SELECT id FROM todo)");
        assertThat(update.statementType()).isEqualTo(UPDATE);
        assertThat(update.tablesWritten()).containsExactly("iceberg.s.orders");
        assertThat(update.tablesRead()).containsExactlyInAnyOrder("hive.web.prices", "hive.web.todo");

        SqlFacts merge = facts("""
                MERGE INTO accounts t USING (SELECT * FROM monthly_accounts_update) s ON t.customer = s.customer
                WHEN MATCHED AND s.customer IN (SELECT customer FROM closed) THEN DELETE
                WHEN MATCHED THEN UPDATE SET purchases = s.purchases + t.purchases
                WHEN NOT MATCHED THEN INSERT (customer, purchases) VALUES (s.customer, s.purchases)
                """);
        assertThat(merge.statementType()).isEqualTo(MERGE);
        assertThat(merge.tablesWritten()).containsExactly("hive.web.accounts");
        assertThat(merge.tablesRead()).containsExactlyInAnyOrder("hive.web.monthly_accounts_update", "hive.web.closed");
    }

    @Test
    void testDdl()
    {
        assertWrites("CREATE TABLE t (a bigint, LIKE other)", CREATE_TABLE, "hive.web.t");
        assertThat(facts("CREATE TABLE t (a bigint, LIKE other)").tablesRead()).containsExactly("hive.web.other");
        assertWrites("CREATE OR REPLACE VIEW v AS SELECT * FROM t", CREATE_VIEW, "hive.web.v");
        assertThat(facts("CREATE OR REPLACE VIEW v AS SELECT * FROM t").tablesRead()).containsExactly("hive.web.t");
        assertWrites("CREATE MATERIALIZED VIEW mv AS SELECT * FROM t", CREATE_MATERIALIZED_VIEW, "hive.web.mv");
        assertThat(facts("CREATE MATERIALIZED VIEW mv AS SELECT * FROM t").tablesRead()).containsExactly("hive.web.t");
        assertWrites("DROP TABLE IF EXISTS x.t", DROP_TABLE, "hive.x.t");
        assertWrites("TRUNCATE TABLE t", TRUNCATE, "hive.web.t");
        assertWrites("ANALYZE t", ANALYZE, "hive.web.t");
        assertWrites("ALTER TABLE t EXECUTE optimize(file_size_threshold => '10MB')", TABLE_EXECUTE, "hive.web.t");
        assertWrites("ALTER TABLE t ADD COLUMN c bigint", DDL, "hive.web.t");
        assertWrites("ALTER TABLE t DROP COLUMN c", DDL, "hive.web.t");
        assertWrites("ALTER TABLE t SET PROPERTIES x = 1", DDL, "hive.web.t");
        assertWrites("COMMENT ON COLUMN t.c IS 'x'", DDL, "hive.web.t");
        assertWrites("DROP VIEW v", DDL, "hive.web.v");
        // Trino qualifies the new name by the renamed table's catalog (and schema)
        assertWrites("ALTER TABLE iceberg.s.t RENAME TO u", DDL, "iceberg.s.t", "iceberg.s.u");
        assertWrites("ALTER TABLE iceberg.s.t RENAME TO s2.u", DDL, "iceberg.s.t", "iceberg.s2.u");

        SqlFacts createSchema = facts("CREATE SCHEMA iceberg.staging");
        assertThat(createSchema.statementType()).isEqualTo(DDL);
        assertThat(createSchema.tables()).isEmpty();
        assertThat(createSchema.catalogs()).containsExactly("iceberg");
        assertThat(createSchema.schemas()).containsExactly("iceberg.staging");
        assertThat(facts("ALTER SCHEMA staging RENAME TO prod").schemas()).containsExactlyInAnyOrder("hive.staging", "hive.prod");
        assertThat(facts("CREATE CATALOG Lake USING iceberg").catalogs()).containsExactly("lake");
    }

    private void assertWrites(String sql, StatementType type, String... tables)
    {
        SqlFacts facts = facts(sql);
        assertThat(facts.statementType()).as(sql).isEqualTo(type);
        assertThat(facts.tablesWritten()).as(sql).containsExactlyInAnyOrder(tables);
    }

    @Test
    void testExplain()
    {
        SqlFacts explain = facts("EXPLAIN (TYPE DISTRIBUTED) INSERT INTO target SELECT * FROM source");
        assertThat(explain.statementType()).isEqualTo(EXPLAIN);
        assertThat(explain.trinoStatementName()).isEqualTo("Explain");
        // nothing is written by a plan: the target is only read to plan
        assertThat(explain.tablesWritten()).isEmpty();
        assertThat(explain.tablesRead()).containsExactlyInAnyOrder("hive.web.target", "hive.web.source");

        SqlFacts explainAnalyze = facts("EXPLAIN ANALYZE INSERT INTO target SELECT * FROM source");
        assertThat(explainAnalyze.statementType()).isEqualTo(EXPLAIN_ANALYZE);
        assertThat(explainAnalyze.trinoStatementName()).isEqualTo("ExplainAnalyze");
        assertThat(explainAnalyze.tablesWritten()).containsExactly("hive.web.target");
        assertThat(explainAnalyze.tablesRead()).containsExactly("hive.web.source");
    }

    @Test
    void testQuotedIdentifiers()
    {
        // Trino resolves every name lower-cased, quoted or not (QualifiedName#getParts): "Orders" is the table orders
        SqlFacts facts = facts("SELECT * FROM \"Hive\".\"Sales\".\"Orders\" JOIN Web.Customer ON true JOIN \"2024.logs\" ON true JOIN \"a\"\"b\" ON true");
        assertThat(facts.tablesRead()).containsExactlyInAnyOrder("hive.sales.orders", "hive.web.customer", "hive.web.\"2024.logs\"", "hive.web.\"a\"\"b\"");
        assertThat(facts.catalogs()).containsExactly("hive");
    }

    @Test
    void testSessionCatalogAndSchema()
    {
        SqlFacts noDefaults = extractor.extract("SELECT * FROM orders, sales.customer, tpch.tiny.nation", Optional.empty(), Optional.empty());
        assertThat(noDefaults.parsed()).isTrue();
        assertThat(noDefaults.tablesRead()).containsExactlyInAnyOrder("orders", "sales.customer", "tpch.tiny.nation");
        assertThat(noDefaults.unqualifiedNames()).containsExactlyInAnyOrder("orders", "sales.customer");
        assertThat(noDefaults.catalogs()).containsExactly("tpch");
        assertThat(noDefaults.schemas()).containsExactly("tpch.tiny");

        // a catalog without a schema qualifies two-part names only
        SqlFacts catalogOnly = extractor.extract("SELECT * FROM orders, sales.customer", Optional.of("Hive"), Optional.empty());
        assertThat(catalogOnly.tablesRead()).containsExactlyInAnyOrder("orders", "hive.sales.customer");
        assertThat(catalogOnly.unqualifiedNames()).containsExactly("orders");
    }

    @Test
    void testTableFunctions()
    {
        SqlFacts facts = facts("SELECT * FROM TABLE(postgres.system.query(query => 'SELECT 1')) CROSS JOIN TABLE(sequence(1, 3)) "
                + "CROSS JOIN TABLE(exclude_columns(input => TABLE(orders), columns => DESCRIPTOR(comment)))");
        assertThat(facts.tablesRead()).containsExactly("hive.web.orders");
        assertThat(facts.catalogs()).containsExactlyInAnyOrder("postgres", "hive");
        assertThat(facts.schemas()).containsExactlyInAnyOrder("postgres.system", "hive.web");
    }

    @Test
    void testSessionAndShowStatements()
    {
        assertType("SHOW CATALOGS", SHOW);
        assertThat(facts("SHOW TABLES FROM iceberg.s").schemas()).containsExactly("iceberg.s");
        assertThat(facts("SHOW TABLES").schemas()).containsExactly("hive.web");
        assertThat(facts("SHOW SCHEMAS FROM tpch").catalogs()).containsExactly("tpch");
        assertThat(facts("SHOW CREATE TABLE t").tablesRead()).containsExactly("hive.web.t");
        assertThat(facts("SHOW STATS FOR t").tablesRead()).containsExactly("hive.web.t");
        assertType("DESCRIBE t", DESCRIBE);
        assertThat(facts("DESCRIBE t").tablesRead()).containsExactly("hive.web.t");
        assertType("SHOW COLUMNS FROM t", DESCRIBE);
        assertType("USE tpch.tiny", USE);
        assertThat(facts("USE tpch.tiny").schemas()).containsExactly("tpch.tiny");
        assertThat(facts("USE other").schemas()).containsExactly("hive.other");
        assertType("SET SESSION query_max_run_time = '1h'", SET_SESSION);
        assertType("RESET SESSION hive.compression_codec", RESET_SESSION);
        assertType("START TRANSACTION", START_TRANSACTION);
        assertType("COMMIT", COMMIT);
        assertType("ROLLBACK", ROLLBACK);
        assertType("SET ROLE ALL", SET_ROLE);
        assertType("GRANT SELECT ON t TO alice", GRANT);
        assertType("REVOKE SELECT ON t FROM alice", REVOKE);
        assertType("DEALLOCATE PREPARE q", DEALLOCATE);
        assertThat(facts("CALL system.sync_partition_metadata('web', 'orders', 'FULL')").statementType()).isEqualTo(CALL);
        assertThat(facts("CALL system.sync_partition_metadata('web', 'orders', 'FULL')").catalogs()).containsExactly("hive");
    }

    private void assertType(String sql, StatementType type)
    {
        SqlFacts facts = facts(sql);
        assertThat(facts.statementType()).as(sql).isEqualTo(type);
        assertThat(facts.parsed()).as(sql).isTrue();
    }

    @Test
    void testPreparedStatements()
    {
        SqlFacts prepare = facts("PREPARE q FROM SELECT * FROM orders WHERE id = ?");
        assertThat(prepare.statementType()).isEqualTo(PREPARE);
        assertThat(prepare.tables()).isEmpty();

        SqlFacts execute = facts("EXECUTE q USING 42");
        assertThat(execute.statementType()).isEqualTo(EXECUTE);
        assertThat(execute.tablesKnown()).isFalse();
        assertThat(execute.parsed()).isTrue();

        // EXECUTE IMMEDIATE runs the statement in its string: the facts are that statement's
        SqlFacts immediate = facts("EXECUTE IMMEDIATE 'INSERT INTO t SELECT * FROM s WHERE x = ?' USING 1");
        assertThat(immediate.statementType()).isEqualTo(INSERT);
        assertThat(immediate.tablesWritten()).containsExactly("hive.web.t");
        assertThat(immediate.tablesRead()).containsExactly("hive.web.s");
    }

    @Test
    void testUnparsable()
    {
        SqlFacts facts = facts("SELEC * FROM orders");
        assertThat(facts.statementType()).isEqualTo(UNKNOWN);
        assertThat(facts.trinoStatementName()).isEmpty();
        assertThat(facts.parsed()).isFalse();
        assertThat(facts.tablesKnown()).isFalse();
        assertThat(facts.parseError()).hasValueSatisfying(error -> assertThat(error).startsWith("line 1:1: mismatched input 'SELEC'"));
        assertThat(facts.tables()).isEmpty();

        assertThat(facts("").parseError()).isPresent();
        assertThat(facts("SELECT 1; SELECT 2").statementType()).isEqualTo(UNKNOWN);
    }

    @Test
    void testTooLarge()
    {
        SqlFactsExtractor small = new SqlFactsExtractor(DataSize.ofBytes(1024));
        String sql = "SELECT '" + "x".repeat(1000) + "'";
        assertThat(small.extract(sql, Optional.empty(), Optional.empty()).parsed()).isTrue();

        SqlFacts tooLarge = small.extract(sql + " FROM t" + " ".repeat(20), Optional.empty(), Optional.empty());
        assertThat(tooLarge.statementType()).isEqualTo(UNKNOWN);
        assertThat(tooLarge.parseError()).contains("The statement is larger than proxy.max-statement-size (1024 bytes)");

        // the limit is in UTF-8 bytes, as the proxy counts it: 400 'é' are 800 bytes
        String multiByte = "SELECT '" + "é".repeat(400) + "'";
        assertThat(small.extract(multiByte, Optional.empty(), Optional.empty()).parsed()).isTrue();
        assertThat(small.extract(multiByte + "/* " + "é".repeat(200) + " */", Optional.empty(), Optional.empty()).parsed()).isFalse();
    }

    @Test
    void testDeepNesting()
    {
        SqlFactsExtractor large = new SqlFactsExtractor(DataSize.of(1, DataSize.Unit.MEGABYTE));
        int limit = SqlFactsExtractor.MAX_NESTING;
        String nested = "SELECT " + "(".repeat(limit) + "1" + ")".repeat(limit) + " FROM t";
        assertThat(large.extract(nested, Optional.empty(), Optional.empty()).tablesRead()).containsExactly("t");
        // parentheses in literals, quoted names and comments do not count
        String quoted = nested + " WHERE x = '((((' AND \"((\" = 1 -- ((\n /* (( */";
        assertThat(large.extract(quoted, Optional.empty(), Optional.empty()).parsed()).isTrue();

        for (int depth : new int[] {limit + 1, 2000, 20_000}) {
            for (String sql : new String[] {
                    "SELECT " + "(".repeat(depth) + "1" + ")".repeat(depth) + " FROM t",
                    "SELECT * FROM " + "(SELECT * FROM ".repeat(depth) + "t" + ")".repeat(depth)}) {
                SqlFacts facts = large.extract(sql, Optional.empty(), Optional.empty());
                assertThat(facts.statementType()).isEqualTo(UNKNOWN);
                assertThat(facts.parseError()).contains("The statement nests parentheses more than 100 deep");
            }
        }

        // within the limit, Trino's parser guards its own stack: either facts or a parse error, never a failure
        String subqueries = "SELECT * FROM " + "(SELECT * FROM ".repeat(90) + "t" + ")".repeat(90);
        SqlFacts facts = large.extract(subqueries, Optional.empty(), Optional.empty());
        assertThat(facts.statementType() == SELECT || facts.parseError().isPresent()).isTrue();
    }
}
