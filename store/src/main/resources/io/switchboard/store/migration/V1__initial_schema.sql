-- Switchboard schema, version 1.
-- All times are UTC, stored as DATETIME(3) (millisecond precision).
-- Gateways, event listeners and router plugins all write these tables; operators read them with SQL.

-- Member clusters, as registered with the gateway.
CREATE TABLE IF NOT EXISTS clusters (
    name VARCHAR(128) NOT NULL,
    proxy_url VARCHAR(1024) NOT NULL,
    external_url VARCHAR(1024) NOT NULL,
    routing_group VARCHAR(128) NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    -- what the operator asked for: ACTIVE, or DRAINING (the router plugin turns this into SHUTTING_DOWN)
    desired_state VARCHAR(32) NOT NULL DEFAULT 'ACTIVE',
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (name),
    KEY clusters_routing_group (routing_group)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The latest status each cluster's router plugin reported (one row per cluster, overwritten by each heartbeat).
CREATE TABLE IF NOT EXISTS cluster_status (
    cluster_name VARCHAR(128) NOT NULL,
    -- ACTIVE, SHUTTING_DOWN or DRAINED
    state VARCHAR(32) NOT NULL,
    running_queries INT NOT NULL DEFAULT 0,
    queued_queries INT NOT NULL DEFAULT 0,
    blocked_queries INT NOT NULL DEFAULT 0,
    active_workers INT NOT NULL DEFAULT 0,
    reserved_memory_bytes BIGINT NOT NULL DEFAULT 0,
    total_memory_bytes BIGINT NOT NULL DEFAULT 0,
    coordinator_node_id VARCHAR(256) NULL,
    coordinator_started_at DATETIME(3) NULL,
    trino_version VARCHAR(64) NULL,
    heartbeat_at DATETIME(3) NOT NULL,
    PRIMARY KEY (cluster_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per query: written by the gateway when it routes a query and by the event listener
-- when the query is created and when it completes, whichever comes first.
CREATE TABLE IF NOT EXISTS queries (
    query_id VARCHAR(128) NOT NULL,
    cluster_name VARCHAR(128) NULL,
    routing_group VARCHAR(128) NULL,
    -- the gateway instance that routed the query, and when it received it (NULL if submitted directly)
    gateway_id VARCHAR(256) NULL,
    received_at DATETIME(3) NULL,
    user_name VARCHAR(256) NULL,
    source VARCHAR(256) NULL,
    client_tags VARCHAR(1024) NULL,
    catalog_name VARCHAR(256) NULL,
    schema_name VARCHAR(256) NULL,
    query_text MEDIUMTEXT NULL,
    -- QUEUED, RUNNING, FINISHED, FAILED, or LOST (the coordinator restarted before the query completed)
    state VARCHAR(32) NULL,
    error_code INT NULL,
    error_name VARCHAR(256) NULL,
    error_type VARCHAR(64) NULL,
    error_message TEXT NULL,
    created_at DATETIME(3) NULL,
    started_at DATETIME(3) NULL,
    ended_at DATETIME(3) NULL,
    queued_time_ms BIGINT NULL,
    wall_time_ms BIGINT NULL,
    cpu_time_ms BIGINT NULL,
    peak_memory_bytes BIGINT NULL,
    input_rows BIGINT NULL,
    input_bytes BIGINT NULL,
    output_rows BIGINT NULL,
    output_bytes BIGINT NULL,
    written_bytes BIGINT NULL,
    resource_group VARCHAR(512) NULL,
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (query_id),
    KEY queries_created_at (created_at),
    KEY queries_cluster_created_at (cluster_name, created_at),
    KEY queries_user_created_at (user_name, created_at),
    KEY queries_state (state)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The tables each query read (from the query-completed event).
CREATE TABLE IF NOT EXISTS query_tables (
    query_id VARCHAR(128) NOT NULL,
    catalog_name VARCHAR(128) NOT NULL,
    schema_name VARCHAR(128) NOT NULL,
    table_name VARCHAR(128) NOT NULL,
    PRIMARY KEY (query_id, catalog_name, schema_name, table_name),
    KEY query_tables_table (catalog_name, schema_name, table_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Every administrative change: who, from where, what, when.
CREATE TABLE IF NOT EXISTS audit_log (
    id BIGINT NOT NULL AUTO_INCREMENT,
    occurred_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    actor VARCHAR(256) NOT NULL,
    remote_address VARCHAR(128) NULL,
    action VARCHAR(64) NOT NULL,
    target VARCHAR(256) NULL,
    -- JSON describing the change (before and after)
    details TEXT NULL,
    PRIMARY KEY (id),
    KEY audit_log_occurred_at (occurred_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
