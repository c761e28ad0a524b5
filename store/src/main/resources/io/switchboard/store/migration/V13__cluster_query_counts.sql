-- What each coordinator runs per user and per client source, written by the router plugin in
-- every heartbeat: queries created and not yet completed (queued or running), as JSON
-- {"users": {"alice": 3, ...}, "sources": {"airflow": 2, ...}}, the 1000 largest of each.
-- NULL from a router plugin that does not count them (older than this schema).
ALTER TABLE cluster_status ADD COLUMN query_counts MEDIUMTEXT NULL;
