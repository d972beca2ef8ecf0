package cn.antifraud.gateway.app;

import java.util.concurrent.ForkJoinPool;

/**
 * Gives the JDK's common fork-join pool at least {@value #MIN_PARALLELISM} threads, before anything uses it.
 *
 * <p>Why: Hazelcast runs the callbacks of its futures ({@code thenCompose}, {@code whenComplete}: every
 * write of the durable work stores chains one) on {@link ForkJoinPool#commonPool()} when that pool's
 * parallelism is above 1, and otherwise <em>starts a new thread for each callback</em> (its default async
 * executor); the JDK's {@code CompletableFuture} does the same for its {@code *Async} methods. The common
 * pool's parallelism defaults to the number of cores minus one, so on a two-core node every callback
 * started and ended a thread: 20,177 thread starts for 3,000 warnings in one intake benchmark run
 * (docs/smpp-gateway.md), a third of the gateway's CPU.
 *
 * <p>The pool's size is fixed the first time {@code ForkJoinPool} or {@code CompletableFuture} is used, for
 * the life of the JVM, so {@link #atLeastTwo()} must run first: it is the first thing {@link GatewayMain}
 * does. An operator's own {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} is kept.
 */
final class CommonPoolSize {
    static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";
    static final int MIN_PARALLELISM = 2;

    private CommonPoolSize() {
    }

    /** Sets the property when nobody did and the default would be below the minimum; returns the pool's parallelism. */
    static int atLeastTwo() {
        if (System.getProperty(PROPERTY) == null && Runtime.getRuntime().availableProcessors() - 1 < MIN_PARALLELISM) {
            System.setProperty(PROPERTY, Integer.toString(MIN_PARALLELISM));
        }
        return ForkJoinPool.getCommonPoolParallelism();
    }
}
