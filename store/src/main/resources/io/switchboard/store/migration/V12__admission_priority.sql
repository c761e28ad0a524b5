-- how long the query waited in the gateway's admission queue before the gateway submitted it to
-- its cluster, in milliseconds (NULL: the query was never queued in the gateway)
ALTER TABLE query_routes ADD COLUMN queued_in_gateway_ms BIGINT NULL;
