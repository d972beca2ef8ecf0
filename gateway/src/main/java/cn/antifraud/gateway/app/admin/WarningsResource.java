package cn.antifraud.gateway.app.admin;

import cn.antifraud.gateway.smpp.NotAMobileNumberException;
import cn.antifraud.gateway.smpp.Quote;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.WarningRecord;
import cn.antifraud.gateway.smpp.WarningRequest;
import cn.antifraud.gateway.smpp.WarningService;
import cn.antifraud.gateway.smpp.WarningStatus;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Police instructions (预警劝阻): {@code POST /v1/warnings} turns "warn subscriber X of fraud type Y" into
 * durable SMS jobs and answers 202 with the warning's id; {@code GET /v1/warnings/{id}} shows its jobs.
 * Without SMSCs in the config both answer 503.
 */
final class WarningsResource {
    private static final long WAIT_SECONDS = 10;

    private final Optional<WarningService> service;

    /** @param service empty when SMPP is not configured (the routes answer 503) */
    WarningsResource(Optional<WarningService> service) {
        this.service = service;
    }

    ApiResponse post(ApiRequest req) {
        WarningService s = service();
        requireJson(req.contentType());
        WarningRequest request = WarningIntake.parse(new JsonBody(req.body()), s);
        WarningRecord record = await(s.warn(request));
        return ApiResponse.json(HttpResponseStatus.ACCEPTED, WarningIntake.accepted(record));
    }

    /** {@code POST /v1/warnings:batch}, see {@link WarningsBatch}. */
    ApiResponse postBatch(ApiRequest req) {
        return WarningsBatch.post(req, service());
    }

    /**
     * A JSON body must say so (RFC 9110 §8.3; RFC 8259 registers application/json): a form or text body posted
     * by mistake gets 415 rather than a guess.
     */
    static void requireJson(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!type.equalsIgnoreCase("application/json")) {
            throw new ApiException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, got '"
                    + Quote.limit(contentType == null ? "" : contentType) + "'", null);
        }
    }

    ApiResponse get(String id) {
        Optional<WarningStatus> status = await(service().status(id));
        WarningStatus st = status.orElseThrow(() -> ApiException.notFound("no warning " + Quote.limit(id)));
        WarningRecord w = st.warning();
        ObjectNode n = Json.object()
                .put("id", w.id())
                .put("subscriber", w.request().subscriber().e164())
                .put("fraudType", w.request().fraudType().code())
                .put("tier", w.request().tier())
                .put("source", w.request().source().name().toLowerCase(java.util.Locale.ROOT))
                .put("createdAt", Json.instant(w.createdAt()));
        if (!w.duplicateOf().isEmpty()) {
            n.put("duplicateOf", w.duplicateOf());
        }
        ArrayNode jobs = n.putArray("jobs");
        for (SmsJob j : st.jobs()) {
            ObjectNode jn = jobs.addObject()
                    .put("id", j.id())
                    .put("destination", j.destination())
                    .put("kind", j.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .put("state", j.state().name())
                    .put("parts", j.parts())
                    .put("attempts", j.attempts())
                    .put("ambiguous", j.ambiguous())
                    .put("smsc", j.smsc())
                    .put("lastError", j.lastError())
                    .put("updatedAt", Json.instant(j.updatedAt()));
            ArrayNode ids = jn.putArray("messageIds");
            j.messageIds().forEach(ids::add);
        }
        return ApiResponse.json(HttpResponseStatus.OK, n);
    }

    private WarningService service() {
        return service.orElseThrow(() -> new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "SMS warnings are off: no SMSC is configured (smpp.smscs in the config)", null));
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "interrupted while shutting down", null);
        } catch (TimeoutException e) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "the SMS gateway did not answer within "
                    + WAIT_SECONDS + " s", null);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /** What the caller is told when the warning service failed with {@code cause}. */
    static ApiException failure(Throwable cause) {
        Throwable c = cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof RejectedExecutionException) {
            return new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "the SMS gateway is overloaded or closing", null);
        }
        if (c instanceof IllegalArgumentException) {
            return ApiException.badRequest(c instanceof NotAMobileNumberException ? "subscriber" : null, c.getMessage());
        }
        throw new IllegalStateException("warning service failed", c);
    }
}
