-- Where the gateway sent each query, in a table of its own: one narrow row per routed query,
-- written on the submit path's budget. In the queries table, each route cost four secondary
-- index entries, and the event listener's first write then moved all of them again.
CREATE TABLE IF NOT EXISTS query_routes (
    query_id VARCHAR(128) NOT NULL,
    cluster_name VARCHAR(128) NOT NULL,
    routing_group VARCHAR(128) NOT NULL,
    -- the gateway instance that routed the query, and when it received it
    gateway_id VARCHAR(256) NOT NULL,
    received_at DATETIME(3) NOT NULL,
    -- as the client sent them: what the history shows for a query its cluster never reported
    user_name VARCHAR(256) NULL,
    source VARCHAR(256) NULL,
    PRIMARY KEY (query_id),
    KEY query_routes_received_at (received_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO query_routes (query_id, cluster_name, routing_group, gateway_id, received_at, user_name, source)
SELECT query_id, cluster_name, routing_group, gateway_id, received_at, user_name, source
FROM queries
WHERE cluster_name IS NOT NULL AND routing_group IS NOT NULL AND gateway_id IS NOT NULL AND received_at IS NOT NULL;

-- rows only the gateway wrote (no event listener reported the query): now in query_routes alone
DELETE FROM queries WHERE created_at IS NULL AND state IS NULL AND gateway_id IS NOT NULL;

ALTER TABLE queries DROP COLUMN routing_group, DROP COLUMN gateway_id, DROP COLUMN received_at;
