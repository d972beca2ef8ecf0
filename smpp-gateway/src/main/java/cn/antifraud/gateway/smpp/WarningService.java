package cn.antifraud.gateway.smpp;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The gateway as the admin API sees it: {@code POST /v1/warnings} and {@code GET /v1/warnings/{id}}.
 * Neither blocks the caller: the work runs on the gateway's bounded executor.
 */
public interface WarningService {

    /**
     * Turns a request into durable jobs. Completes with the stored warning once its jobs are in the cluster
     * (and so written through to the database); a repeat within the dedup window completes with a record
     * whose {@link WarningRecord#duplicateOf()} names the earlier warning and which has no jobs.
     * Fails with {@link java.util.concurrent.RejectedExecutionException} when the gateway is overloaded or closed.
     */
    CompletionStage<WarningRecord> warn(WarningRequest request);

    /**
     * Many requests at once, for the batch intake: one result per request, in order, each as {@link #warn}
     * would give it; an implementation may store the batch with fewer writes than one per warning.
     */
    default List<CompletionStage<WarningRecord>> warnAll(List<WarningRequest> requests) {
        List<CompletionStage<WarningRecord>> results = new java.util.ArrayList<>(requests.size());
        for (WarningRequest r : requests) {
            results.add(warn(r));
        }
        return results;
    }

    /**
     * Why {@code subscriber} cannot be warned by SMS (not a Chinese mobile number of the configured prefixes),
     * or empty when it can; {@link #warn} refuses such a subscriber with an {@link IllegalArgumentException}.
     */
    Optional<String> subscriberProblem(cn.antifraud.gateway.registry.PhoneNumber subscriber);

    /** The warning and its jobs' states; empty for an unknown id. */
    CompletionStage<Optional<WarningStatus>> status(String warningId);
}
