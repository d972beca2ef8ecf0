-- Journaled write-through of the work stores (cn.antifraud.gateway.registry.work): a member changes cluster
-- memory first and then commits the new rows of many callers in one transaction, so two writes of one key
-- can reach the database in the other order than they changed memory. Each row carries the version of its
-- record (raised at every change) and a row replaces the stored one only when its version is higher. A
-- removal leaves a tombstone (value_bytes NULL, with its version) so that a late, older write cannot bring
-- the record back; loads skip tombstones and housekeeping deletes them after a few minutes. Rows written
-- before this migration are version 0: any later write replaces them.

ALTER TABLE work_entry ADD COLUMN version BIGINT DEFAULT 0 NOT NULL;

ALTER TABLE work_entry ALTER COLUMN value_bytes DROP NOT NULL;
