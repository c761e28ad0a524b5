-- The analytics API (GET /api/v1/analytics/...) reads a range of created_at (or, for LOST
-- queries, of the restart time) and nothing else: each of these indexes holds every column its
-- queries read, so a chart reads a slice of one index and never the rows of queries.

-- throughput, latency, success rate, heaviest users, slowest tables (whose query ids it yields)
CREATE INDEX queries_analytics ON queries (created_at, cluster_name, state, user_name, wall_time_ms, cpu_time_ms, input_bytes);

-- LOST queries per coordinator restart: a LOST query's ended_at is the restart that lost it
CREATE INDEX queries_lost ON queries (state, ended_at, cluster_name, user_name);
-- its first column serves every query that used the index on state alone (markQueriesLost's
-- state IN ('QUEUED', 'RUNNING')), which MariaDB would otherwise pick for state = 'LOST' and then
-- read each row
DROP INDEX queries_state ON queries;
