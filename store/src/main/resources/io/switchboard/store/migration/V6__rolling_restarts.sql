-- The latest rolling restart of each routing group, shared by every gateway replica: any replica
-- shows it, and when the replica running it stops or loses its lease, another one resumes it.
CREATE TABLE IF NOT EXISTS rolling_restarts (
    routing_group VARCHAR(128) NOT NULL,
    -- RUNNING, SUCCEEDED or FAILED
    state VARCHAR(16) NOT NULL,
    current_cluster VARCHAR(128) NULL,
    -- why it FAILED
    reason VARCHAR(2048) NULL,
    started_by VARCHAR(256) NOT NULL,
    started_at DATETIME(3) NOT NULL,
    finished_at DATETIME(3) NULL,
    -- the gateway replica running it while RUNNING; NULL once released by a replica that stopped
    owner VARCHAR(512) NULL,
    -- another replica resumes a RUNNING restart whose owner has not renewed its lease by then
    lease_expires_at DATETIME(3) NULL,
    -- JSON: options and the step of every cluster, as GET /api/v1/routing-groups/{group}/rolling-restart shows them
    progress MEDIUMTEXT NOT NULL,
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (routing_group)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
