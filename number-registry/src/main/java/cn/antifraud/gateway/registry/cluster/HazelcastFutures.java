package cn.antifraud.gateway.registry.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Hands the result of a Hazelcast future over to a plain {@link CompletableFuture} on the thread that completes
 * it, so that its continuations run there instead of being handed to another thread.
 *
 * <p>Why: Hazelcast runs every continuation of its futures, {@code thenApply} and {@code whenComplete} included,
 * on its default asynchronous executor: the JVM's common fork-join pool when the pool has a parallelism of at
 * least 2, and otherwise <em>a new thread for each continuation</em> (the pool has 1 on a machine of 2 CPUs;
 * the gateway's {@code CommonPoolSize} raises it, a test or benchmark JVM may not). Either way each write of a
 * durable work store paid a hand-off to another thread (on 2 cores, a context switch) for a few microseconds
 * of work. The continuations this project chains on a Hazelcast future are short and never block (queueing a
 * journal row, recording a copy, completing a caller's future), so they run where the result arrives:
 * Hazelcast's partition or response thread. A continuation that does more than that must be moved to an
 * executor of its own by its caller ({@code thenApplyAsync(f, executor)}).
 */
public final class HazelcastFutures {
    /** Runs a task on the thread that submits it: here, the thread that completed the Hazelcast future. */
    private static final Executor IN_PLACE = Runnable::run;

    private HazelcastFutures() {
    }

    /**
     * A future completed with {@code hazelcast}'s result (or failure) by the thread that completes it; its own
     * non-async continuations then run on that thread too.
     */
    public static <T> CompletableFuture<T> inPlace(CompletionStage<T> hazelcast) {
        CompletableFuture<T> result = new CompletableFuture<>();
        hazelcast.whenCompleteAsync((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        }, IN_PLACE);
        return result;
    }
}
