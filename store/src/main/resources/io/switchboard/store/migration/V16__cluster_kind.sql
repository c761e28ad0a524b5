-- Which engine a cluster runs, and so which client protocol it speaks: TRINO (X-Trino-* headers)
-- or PRESTODB (X-Presto-* headers). The gateway sends a client only to clusters of its protocol.
ALTER TABLE clusters ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'TRINO';
