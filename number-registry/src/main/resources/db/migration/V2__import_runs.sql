-- One row per bulk import (ImportRecord): written when it starts, updated after every stored batch,
-- closed as FINISHED or FAILED; a RUNNING row of a node that restarts is marked INTERRUPTED with the
-- counts it had reached. errors: the first rejections, one per line, each at most 64 characters of reason.

CREATE TABLE import_run (
    id         VARCHAR(40)  NOT NULL PRIMARY KEY,
    actor      VARCHAR(200) NOT NULL,
    node       VARCHAR(200) NOT NULL,
    state      VARCHAR(16)  NOT NULL,
    started    TIMESTAMP WITH TIME ZONE NOT NULL,
    ended      TIMESTAMP WITH TIME ZONE,
    rows_read  BIGINT       NOT NULL,
    stored     BIGINT       NOT NULL,
    rejected   BIGINT       NOT NULL,
    errors     VARCHAR(4000) NOT NULL,
    detail     VARCHAR(500) NOT NULL
);

CREATE INDEX import_run_by_node_state ON import_run (node, state);
