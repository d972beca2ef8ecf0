package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.csv.CsvFraudNumberRows;
import cn.antifraud.gateway.registry.ImportJournal;
import cn.antifraud.gateway.registry.ImportRecord;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.ImportResult;
import cn.antifraud.gateway.registry.NoQuorumException;
import cn.antifraud.gateway.registry.NumberRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/fraud-numbers:import} (text/csv, streamed) and {@code GET /v1/imports/{id}}: every
 * import is all-or-reported. It gets an id and a durable record before the first row is read; the
 * record carries the counts after every stored batch and ends finished or failed (or, when the node
 * dies, interrupted at its next start), so whatever happens the operator can see how far it got. A
 * bad row is counted and echoed as its line and at most {@value ImportRecord#MAX_ECHO} characters,
 * never a 500.
 */
final class FraudNumberImports {
    private static final Logger LOG = LoggerFactory.getLogger(FraudNumberImports.class);

    private final NumberRegistry registry;
    private final ImportJournal journal;
    private final Clock clock;

    FraudNumberImports(NumberRegistry registry, ImportJournal journal, Clock clock) {
        this.registry = requireNonNull(registry, "registry");
        this.journal = requireNonNull(journal, "journal");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Runs on the import pool, reading the body as it arrives. */
    ApiResponse run(Call c) {
        String actor = c.caller().name();
        long started = System.nanoTime();
        ImportRecord rec = journal.start(actor);
        // The counts last made durable: what a failed import reports as stored.
        AtomicReference<Progress> last = new AtomicReference<>(new Progress(0, 0, 0, List.of()));
        CsvFraudNumberRows rows = new CsvFraudNumberRows(
                new BufferedReader(new InputStreamReader(c.stream(), StandardCharsets.UTF_8), 64 * 1024), clock.instant());
        try {
            ImportResult r = registry.importFraudNumbers(rec.id(), rows, actor,
                    (read, stored, rejected, errors) -> {
                        last.set(new Progress(read, stored, rejected, errors));
                        journal.progress(rec.id(), read, stored, rejected, errors);
                    });
            ImportRecord done = journal.end(rec.id(), ImportRecord.State.FINISHED, r.rowsRead(), r.stored(), r.rejected(),
                    r.firstErrors(), "");
            LOG.info("fraud number import {} by {}: {} stored, {} rejected in {} ms", rec.id(), actor, r.stored(),
                    r.rejected(), (System.nanoTime() - started) / 1_000_000);
            return ApiResponse.json(HttpResponseStatus.OK, Views.importRecord(done));
        } catch (UncheckedIOException e) {
            // The body did not arrive whole (client gone, limit, stall, timeout): batches stored so far stay.
            Stop stop = Stop.of(rows, last.get());
            String why = "the body did not arrive whole: " + e.getCause().getMessage();
            LOG.warn("fraud number import {} by {} stopped: {}; {}", rec.id(), actor, why, stop.describe());
            return failed(rec, last.get(), stop, why, HttpResponseStatus.BAD_REQUEST, "import stopped: " + why);
        } catch (NoQuorumException e) {
            // Cut off from the cluster (issue 13): batches stored before the split stay; the caller retries elsewhere.
            Stop stop = Stop.of(rows, last.get());
            LOG.warn("fraud number import {} by {} stopped: {}; {}", rec.id(), actor, e.getMessage(), stop.describe());
            return failed(rec, last.get(), stop, e.getMessage(), HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
        } catch (RuntimeException e) {
            Stop stop = Stop.of(rows, last.get());
            LOG.error("fraud number import {} by {} failed: {}; {}", rec.id(), actor, e.toString(), stop.describe(), e);
            return failed(rec, last.get(), stop, "failed: " + e.getClass().getSimpleName(),
                    HttpResponseStatus.INTERNAL_SERVER_ERROR, "import failed; see the gateway log");
        }
    }

    private ApiResponse failed(ImportRecord rec, Progress p, Stop stop, String why, HttpResponseStatus status, String error) {
        String detail = why + "; " + stop.describe();
        try {
            journal.end(rec.id(), ImportRecord.State.FAILED, p.read, p.stored, p.rejected, p.errors, detail);
        } catch (RuntimeException e) {
            // The record stays RUNNING and is marked interrupted at the next start: still reported.
            LOG.warn("import {}: cannot record its failure: {}", rec.id(), e.toString());
        }
        ObjectNode n = Json.object().put("error", error).put("id", rec.id()).put("stored", p.stored)
                .put("rejected", p.rejected).put("lastLineRead", stop.lastLineRead).put("detail", detail);
        if (stop.firstLineNotStored > 0) {
            n.put("firstLineNotStored", stop.firstLineNotStored);
        }
        return ApiResponse.json(status, n);
    }

    /**
     * Where a failed import stopped, in lines of the CSV: every row before {@code firstLineNotStored} is
     * stored or rejected; from it to {@code lastLineRead} rows were read but not all stored (a batch whose
     * map write failed after its commit is in the database only); nothing after {@code lastLineRead} was
     * read. {@code firstLineNotStored} is 0 when every row read was stored or rejected, and -1 when its
     * line is no longer known (more rows were read since the last stored batch than lines are kept).
     */
    private record Stop(long firstLineNotStored, long lastLineRead, long rowsStoredOrRejected) {
        static Stop of(CsvFraudNumberRows rows, Progress stored) {
            long first = rows.rowsRead() <= stored.read ? 0 : rows.lineOfRow(stored.read + 1).orElse(-1);
            return new Stop(first, rows.lineNumber(), stored.read);
        }

        String describe() {
            String notRead = "nothing after line " + lastLineRead + " was read";
            if (firstLineNotStored == 0) {
                return "every row up to line " + lastLineRead + " is stored or rejected; " + notRead;
            }
            String from = firstLineNotStored > 0 ? "lines " + firstLineNotStored + " to " + lastLineRead
                    : "the rows after the first " + rowsStoredOrRejected;
            String before = firstLineNotStored > 0 ? "every row before line " + firstLineNotStored + " is"
                    : "the first " + rowsStoredOrRejected + " rows are";
            return from + " were read but not all stored (the rows of a batch that failed after its commit can be in"
                    + " the database only); " + before + " stored or rejected; " + notRead;
        }
    }

    /** {@code GET /v1/imports/{id}}. */
    ApiResponse get(String id) {
        ImportRecord r = journal.find(id).orElseThrow(() -> ApiException.notFound("no import " + clip(id)));
        return ApiResponse.json(HttpResponseStatus.OK, Views.importRecord(r));
    }

    /**
     * {@code GET /v1/imports?limit=N&cursor=C}: import runs of every node, newest first, keyset-paged like
     * the other listings ({@code nextCursor} null on the last page).
     */
    ApiResponse list(ApiRequest req) {
        Page<ImportRecord> page;
        try {
            page = journal.list(Cursors.decode(req.param("cursor")), RegistryResources.limit(req));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", "cursor must be a nextCursor value from a previous page");
        }
        return ApiResponse.json(HttpResponseStatus.OK, Views.page(page, Views::importRecord));
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private record Progress(long read, long stored, long rejected, List<String> errors) {
        Progress {
            errors = List.copyOf(errors);
        }
    }
}
