-- Relative share of new queries a cluster receives under the WEIGHTED routing policy.
ALTER TABLE clusters ADD COLUMN weight INT NOT NULL DEFAULT 1;
