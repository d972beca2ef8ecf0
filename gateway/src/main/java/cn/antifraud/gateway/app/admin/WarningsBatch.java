package cn.antifraud.gateway.app.admin;

import cn.antifraud.gateway.smpp.Quote;
import cn.antifraud.gateway.smpp.WarningRecord;
import cn.antifraud.gateway.smpp.WarningRequest;
import cn.antifraud.gateway.smpp.WarningService;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/warnings:batch}: many police instructions at once, as NDJSON (one JSON object per line,
 * {@code Content-Type: application/x-ndjson}), for the systems that push thousands. Each line is read as
 * strictly as a single {@code POST /v1/warnings} and answered by one NDJSON line, in input order, naming its
 * line number: {@code accepted} with the warning id and jobs, {@code duplicate} with the earlier warning, or
 * {@code rejected} with the reason and the field. A bad line does not stop the others. The valid lines'
 * warnings are handed to {@link WarningService#warnAll} in chunks of {@value #CHUNK}: each chunk's warnings
 * and jobs are stored with one batch write each (one database transaction each, not one per warning).
 *
 * <p>The body is bounded by {@code admin.max-body-bytes} (it arrives aggregated, like every JSON body of
 * this API); a client with more warnings sends several batches.
 */
final class WarningsBatch {
    static final String NDJSON = "application/x-ndjson";
    /**
     * Warnings per {@link WarningService#warnAll} call: large enough that a transaction serves hundreds of
     * warnings, small enough that the chunks of one big batch run on several executor threads at once.
     */
    static final int CHUNK = 250;

    private WarningsBatch() {
    }

    static ApiResponse post(ApiRequest req, WarningService service) {
        requireNdjson(req.contentType());
        List<Line> lines = lines(req.body());
        List<CompletableFuture<ObjectNode>> results = new ArrayList<>(lines.size());
        List<Line> valid = new ArrayList<>();
        List<WarningRequest> requests = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (Line line : lines) {
            try {
                requests.add(WarningIntake.parse(new JsonBody(line.json()), service));
                valid.add(line);
                slots.add(results.size());
                results.add(null);
            } catch (ApiException e) {
                results.add(CompletableFuture.completedFuture(rejected(line, e)));
            }
        }
        for (int from = 0; from < requests.size(); from += CHUNK) {
            int to = Math.min(requests.size(), from + CHUNK);
            List<CompletableFuture<WarningRecord>> created = warnAll(service, requests.subList(from, to));
            for (int i = from; i < to; i++) {
                results.set(slots.get(i), answer(valid.get(i), created.get(i - from)));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() * 160);
        for (CompletableFuture<ObjectNode> r : results) {
            out.writeBytes(Json.bytes(r.join()));
            out.write('\n');
        }
        return new ApiResponse(HttpResponseStatus.OK, NDJSON + "; charset=utf-8", out.toByteArray(), Map.of());
    }

    private static void requireNdjson(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!type.equalsIgnoreCase(NDJSON)) {
            throw new ApiException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be " + NDJSON
                    + " (one JSON object per line), got '" + Quote.limit(contentType == null ? "" : contentType) + "'", null);
        }
    }

    private record Line(int number, byte[] json) {
    }

    /** Non-blank lines with their 1-based numbers; a CR before the LF is dropped. */
    private static List<Line> lines(byte[] body) {
        List<Line> out = new ArrayList<>();
        int start = 0;
        int number = 1;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                String text = new String(body, start, end - start, StandardCharsets.UTF_8);
                if (!text.isBlank()) {
                    out.add(new Line(number, text.getBytes(StandardCharsets.UTF_8)));
                }
                start = i + 1;
                number++;
            }
        }
        return out;
    }

    private static List<CompletableFuture<WarningRecord>> warnAll(WarningService service, List<WarningRequest> chunk) {
        List<CompletableFuture<WarningRecord>> out = new ArrayList<>(chunk.size());
        try {
            for (var stage : service.warnAll(List.copyOf(chunk))) {
                out.add(stage.toCompletableFuture());
            }
        } catch (RuntimeException e) {
            // Overloaded or closed: each line of the chunk is answered with the failure.
            out.clear();
            for (int i = 0; i < chunk.size(); i++) {
                out.add(CompletableFuture.failedFuture(e));
            }
        }
        return out;
    }

    private static CompletableFuture<ObjectNode> answer(Line line, CompletableFuture<WarningRecord> created) {
        return created.handle((record, error) -> {
            if (error == null) {
                ObjectNode n = WarningIntake.accepted(record).put("line", line.number());
                return n.put("result", record.duplicateOf().isEmpty() ? "accepted" : "duplicate");
            }
            try {
                return rejected(line, WarningsResource.failure(error));
            } catch (IllegalStateException e) {
                return rejected(line, new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "the warning could not be stored; retry this line", null));
            }
        });
    }

    private static ObjectNode rejected(Line line, ApiException e) {
        ObjectNode n = Json.object().put("line", line.number()).put("result", "rejected").put("status", e.status().code())
                .put("error", e.getMessage());
        if (e.field() != null) {
            n.put("field", e.field());
        }
        return n;
    }
}
