-- Every version of the gateway's routing rules: a change writes the whole rule set as a new
-- version, so that any version can be read back and restored. Replicas load the newest.
CREATE TABLE IF NOT EXISTS routing_rules (
    version BIGINT NOT NULL,
    -- the rule set as JSON: {"rules": [...], "groups": {...}}
    document MEDIUMTEXT NOT NULL,
    changed_by VARCHAR(256) NOT NULL,
    changed_at DATETIME(3) NOT NULL,
    -- what the change did, e.g. "PUT airflow-to-etl" or "ROLLBACK to 3"
    change_summary VARCHAR(1024) NOT NULL,
    PRIMARY KEY (version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- the rule that chose the query's routing group (NULL: no rule matched, or the client named the group)
ALTER TABLE query_routes ADD COLUMN routing_rule VARCHAR(128) NULL;
