-- One row per record of a durable work store (cn.antifraud.gateway.registry.work): the store's codec
-- bytes exactly as the cluster holds them (one encoding, no JSON wrapper), and the expiry of a record
-- written with a time-to-live (NULL: none), so a reloaded record expires when it would have.

CREATE TABLE work_entry (
    store_name  VARCHAR(100) NOT NULL,
    entry_key   VARCHAR(500) NOT NULL,
    value_bytes BYTEA        NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (store_name, entry_key)
);
