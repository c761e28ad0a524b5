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
package io.switchboard.benchmark;

import com.sun.management.ThreadMXBean;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.store.MysqlDataSources;
import io.switchboard.store.routing.QueryRoute;
import io.switchboard.store.routing.QueryRouteDao;
import io.switchboard.testing.TestingMysql;
import org.jdbi.v3.core.Jdbi;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one routing row costs: the gateway writes one per new query, in batches of 512, into the
 * {@code query_routes} table. Writes rows the way the gateway's route writer does into a real MariaDB
 * and reports, per row, the CPU time of MariaDB (all its threads) and of the writing thread.
 * <p>
 * Arguments: {@code --rows 100000} per round, {@code --rounds 3} (the first one warms up).
 */
public final class RouteWriteBenchmark
{
    private static final int BATCH_SIZE = QueryRouteDao.MAX_ROWS_PER_STATEMENT;
    private static final double MICROS_PER_TICK = 10_000;

    private RouteWriteBenchmark() {}

    public static void main(String[] args)
    {
        int rows = 100_000;
        int rounds = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("Unknown argument: " + args[i]);
            }
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TestingMysql mysql = TestingMysql.startWithSchema();
                HikariDataSource batches = MysqlDataSources.createForBatches(mysql.connection(), "route-writes")) {
            long mariadbPid = ProcessHandle.current().children()
                    .filter(process -> process.info().command().orElse("").endsWith("mariadbd"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no mariadbd child process"))
                    .pid();
            QueryRouteDao dao = new QueryRouteDao(Jdbi.create(batches));
            System.out.println("| round | rows | wall µs/row | MariaDB CPU µs/row | writer CPU µs/row | writer allocation bytes/row |");
            System.out.println("|---:|---:|---:|---:|---:|---:|");
            for (int round = 1; round <= rounds; round++) {
                long mariadbBefore = ProcessMeasures.cpuTicks(mariadbPid);
                long start = System.nanoTime();
                WriterCost writer = writeRows(dao, threads, round, rows);
                double wallMicros = (System.nanoTime() - start) / 1000.0;
                double mariadbMicros = (ProcessMeasures.cpuTicks(mariadbPid) - mariadbBefore) * MICROS_PER_TICK;
                System.out.printf(Locale.ROOT, "| %d | %d | %.1f | %.1f | %.1f | %d |%n",
                        round, rows, wallMicros / rows, mariadbMicros / rows, writer.cpuNanos() / 1000.0 / rows, writer.allocatedBytes() / rows);
            }
        }
    }

    /**
     * The CPU time and the heap allocation of the writing thread inside {@link QueryRouteDao#upsert}.
     */
    private record WriterCost(long cpuNanos, long allocatedBytes)
    {
        WriterCost plus(WriterCost other)
        {
            return new WriterCost(cpuNanos + other.cpuNanos, allocatedBytes + other.allocatedBytes);
        }
    }

    /**
     * Query ids as Trino makes them (date, time, sequence, coordinator id), users and sources
     * as clients send them.
     */
    private static WriterCost writeRows(QueryRouteDao dao, ThreadMXBean threads, int round, int rows)
    {
        WriterCost cost = new WriterCost(0, 0);
        List<QueryRoute> batch = new ArrayList<>(BATCH_SIZE);
        for (int i = 0; i < rows; i++) {
            String queryId = "20261201_%06d_%05d_%s".formatted(round, i, "bench");
            batch.add(new QueryRoute(queryId, "cluster-" + (i % 4), "adhoc", "gateway-1", Instant.now(), Optional.of("user" + (i % 50)), Optional.of("trino-jdbc"), Optional.empty(), OptionalLong.empty()));
            if (batch.size() == BATCH_SIZE || i == rows - 1) {
                cost = cost.plus(write(dao, threads, batch));
                batch.clear();
            }
        }
        return cost;
    }

    private static WriterCost write(QueryRouteDao dao, ThreadMXBean threads, List<QueryRoute> batch)
    {
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        dao.upsert(batch);
        return new WriterCost(threads.getCurrentThreadCpuTime() - cpuBefore, threads.getCurrentThreadAllocatedBytes() - allocatedBefore);
    }
}
