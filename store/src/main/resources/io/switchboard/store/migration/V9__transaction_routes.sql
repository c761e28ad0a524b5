-- Transactions opened through the gateways: the cluster each one runs on, so that every
-- statement of a transaction reaches that cluster through any gateway replica.
CREATE TABLE IF NOT EXISTS transaction_routes (
    transaction_id VARCHAR(128) NOT NULL,
    cluster_name VARCHAR(128) NOT NULL,
    -- the gateway replica (routing.gateway-id) that saw the transaction start
    gateway_id VARCHAR(256) NOT NULL,
    started_at DATETIME(3) NOT NULL,
    -- the latest statement a gateway sent in it, written at most every 30 s per replica: Trino
    -- aborts a transaction unused for its transaction.idle-timeout (5 minutes by default)
    last_used_at DATETIME(3) NOT NULL,
    -- when a gateway saw it commit or roll back; NULL while open (or until Trino expired it)
    ended_at DATETIME(3) NULL,
    PRIMARY KEY (transaction_id),
    KEY transaction_routes_started_at (started_at),
    KEY transaction_routes_cluster (cluster_name, ended_at, last_used_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
