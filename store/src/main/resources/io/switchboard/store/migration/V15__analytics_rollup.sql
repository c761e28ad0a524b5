-- The hourly rollup of the query history that the analytics API reads for whole hours (buckets of
-- an hour or more), so that a month costs a few thousand rows instead of a million: written only by
-- the gateway's AnalyticsRollup, which recomputes an hour from `queries` whenever a query of it
-- changes. The hour is the hour of `created_at` (UTC), like the buckets of the API. Hours at or
-- after `query_stats_rollup.rolled_up_to` are not in these tables yet: the API reads them from
-- `queries`.

-- Per hour and cluster (queries with a cluster): all queries, the completed ones by outcome, and
-- the wall times of those with one as a histogram (LatencyHistogram: bins exact below 128 ms, then
-- 2^(1/32) wide; encoded as unsigned LEB128 varints, pairs of (bin - previous bin - 1, count)).
CREATE TABLE IF NOT EXISTS query_stats_hourly (
    hour DATETIME NOT NULL,
    cluster_name VARCHAR(128) NOT NULL,
    queries BIGINT NOT NULL,
    finished BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    lost BIGINT NOT NULL,
    wall_time_queries BIGINT NOT NULL,
    wall_time_histogram BLOB NOT NULL,
    PRIMARY KEY (hour, cluster_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Per hour and user (queries with a user): all queries with their CPU time and bytes read, the
-- completed ones by outcome.
CREATE TABLE IF NOT EXISTS query_user_stats_hourly (
    hour DATETIME NOT NULL,
    user_name VARCHAR(256) NOT NULL,
    queries BIGINT NOT NULL,
    cpu_time_ms BIGINT NOT NULL,
    input_bytes BIGINT NOT NULL,
    finished BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    lost BIGINT NOT NULL,
    PRIMARY KEY (hour, user_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Per hour and table read: the queries with a wall time that read it, their total and longest wall time.
CREATE TABLE IF NOT EXISTS query_table_stats_hourly (
    hour DATETIME NOT NULL,
    catalog_name VARCHAR(128) NOT NULL,
    schema_name VARCHAR(128) NOT NULL,
    table_name VARCHAR(128) NOT NULL,
    queries BIGINT NOT NULL,
    wall_time_ms_sum BIGINT NOT NULL,
    wall_time_ms_max BIGINT NOT NULL,
    PRIMARY KEY (hour, catalog_name, schema_name, table_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The last two by day (UTC midnight), for long ranges: the sums of the day's hours, computed
-- with them (a day of the hourly tables is a few hundred rows per user or table). The same
-- columns, `day` in place of `hour`.
CREATE TABLE IF NOT EXISTS query_user_stats_daily LIKE query_user_stats_hourly;
ALTER TABLE query_user_stats_daily CHANGE hour day DATETIME NOT NULL;
CREATE TABLE IF NOT EXISTS query_table_stats_daily LIKE query_table_stats_hourly;
ALTER TABLE query_table_stats_daily CHANGE hour day DATETIME NOT NULL;

-- How far the rollup is: every hour before rolled_up_to is in the tables above, with every change
-- to `queries` whose updated_at is before changes_seen_to (less a few minutes of overlap that each
-- run reads again, for transactions still open then).
CREATE TABLE IF NOT EXISTS query_stats_rollup (
    name VARCHAR(64) NOT NULL,
    rolled_up_to DATETIME NOT NULL,
    changes_seen_to DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- the hours whose queries changed since the last run: a range of updated_at, covering created_at
CREATE INDEX queries_updated_at ON queries (updated_at, created_at);
