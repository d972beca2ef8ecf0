package cn.antifraud.gateway.app.admin;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;
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
        JsonBody body = new JsonBody(req.body());
        PhoneNumber subscriber = body.phoneNumber("subscriber")
                .orElseThrow(() -> ApiException.badRequest("subscriber", "subscriber is required"));
        FraudType type;
        try {
            type = FraudType.parse(body.string("fraudType"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("fraudType", e.getMessage());
        }
        int tier = body.integer("tier").orElse(1);
        if (tier != 1 && tier != 2) {
            throw ApiException.badRequest("tier", "tier must be 1 (SMS) or 2 (flash SMS and family contacts), got " + tier);
        }
        PhoneNumber fraudNumber = body.phoneNumber("fraudNumber").orElse(null);
        body.finish();
        WarningRecord record = await(s.warn(new WarningRequest(subscriber, type, tier, fraudNumber,
                WarningRequest.Source.POLICE)));
        ObjectNode n = Json.object().put("id", record.id());
        if (!record.duplicateOf().isEmpty()) {
            n.put("duplicateOf", record.duplicateOf());
        }
        n.putArray("jobs").addAll(record.jobIds().stream().map(id -> Json.MAPPER.getNodeFactory().textNode(id)).toList());
        return ApiResponse.json(HttpResponseStatus.ACCEPTED, n);
    }

    ApiResponse get(String id) {
        Optional<WarningStatus> status = await(service().status(id));
        WarningStatus st = status.orElseThrow(() -> ApiException.notFound("no warning " + id));
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

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "interrupted while shutting down", null);
        } catch (TimeoutException e) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "the SMS gateway did not answer within "
                    + WAIT_SECONDS + " s", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RejectedExecutionException) {
                throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "the SMS gateway is overloaded or closing", null);
            }
            if (cause instanceof IllegalArgumentException) {
                throw ApiException.badRequest(null, cause.getMessage());
            }
            throw new IllegalStateException("warning service failed", cause);
        }
    }
}
