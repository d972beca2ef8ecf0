-- GET /v1/imports lists import runs newest first (started, then id) in keyset pages. The index serves
-- that order and the page's cursor condition, (started, id) < (?, ?), as an index range, so a page reads
-- its own rows only, however many runs the table holds (JdbcImportJournal.list).

CREATE INDEX import_run_by_started ON import_run (started DESC, id DESC);
