-- Duties one gateway replica of the fleet performs at a time (sending health notifications): the
-- holder renews its lease; another replica takes it over once the holder released it or let it expire.
CREATE TABLE IF NOT EXISTS gateway_leases (
    name VARCHAR(64) NOT NULL,
    -- the gateway replica (routing.gateway-id) holding it
    holder VARCHAR(512) NOT NULL,
    -- by MySQL's clock, so replicas' clocks need not agree
    expires_at DATETIME(3) NOT NULL,
    -- true once the holder gave it up on stopping: whoever takes it next missed nothing
    released BOOLEAN NOT NULL DEFAULT FALSE,
    released_at DATETIME(3) NULL,
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
