package cn.antifraud.gateway.registry.work;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An update already visible in cluster memory ({@link WorkStore#updateInMemory}): the transition's answer, and
 * the commit of its database row, which may still be running (completed at once for a memory-only change or
 * a store that is not durable).
 *
 * @param answer    what the transition answered
 * @param committed completes once the change is in the database, or exceptionally with the database's failure
 *                  (the change then stays in cluster memory, and the next write of the key carries it)
 * @param <R> the answer's type
 */
public record Updated<R>(R answer, CompletableFuture<Void> committed) {
    public Updated {
        requireNonNull(committed, "committed");
    }

    /** An update that has nothing left to commit. */
    static <R> Updated<R> settled(R answer) {
        return new Updated<>(answer, CompletableFuture.completedFuture(null));
    }

    /** Waits for the commit and returns the answer; a database failure is thrown as it is (a RuntimeException). */
    public R awaitCommit() {
        try {
            committed.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
        return answer;
    }
}
