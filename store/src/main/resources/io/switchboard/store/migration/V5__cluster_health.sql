-- Health transitions of member clusters, as the gateways' health checks observed them.
-- One row per change of state (PENDING, HEALTHY, UNHEALTHY, MISCONFIGURED) seen by one gateway replica:
-- with several replicas, each records what it saw (gateway_id tells them apart).
CREATE TABLE IF NOT EXISTS cluster_health_events (
    id BIGINT NOT NULL AUTO_INCREMENT,
    cluster_name VARCHAR(128) NOT NULL,
    occurred_at DATETIME(3) NOT NULL,
    previous_state VARCHAR(32) NOT NULL,
    state VARCHAR(32) NOT NULL,
    -- why: the probe's error, or the setting to change
    reason VARCHAR(1024) NOT NULL,
    gateway_id VARCHAR(256) NOT NULL,
    PRIMARY KEY (id),
    KEY cluster_health_events_cluster (cluster_name, occurred_at),
    KEY cluster_health_events_occurred_at (occurred_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
