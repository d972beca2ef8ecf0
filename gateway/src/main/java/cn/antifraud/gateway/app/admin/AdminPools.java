package cn.antifraud.gateway.app.admin;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One bounded executor per {@link Pool}. A full pool refuses at once ({@link RejectedExecutionException},
 * answered 503) rather than queueing without bound; pools never lend each other threads.
 */
final class AdminPools implements AutoCloseable {
    /** Health and metrics requests that may wait for the health thread (a scraper and a balancer or two). */
    static final int HEALTH_QUEUE = 32;

    private final Map<Pool, ThreadPoolExecutor> executors = new EnumMap<>(Pool.class);

    /**
     * @param workers       threads for registry requests
     * @param queue         registry requests that may wait
     * @param importWorkers threads for streamed imports; an import beyond them is refused, never queued
     *                      (a queued upload would hold its client's connection with nothing reading it)
     */
    AdminPools(int workers, int queue, int importWorkers) {
        executors.put(Pool.HEALTH, executor("admin-health", 1, new ArrayBlockingQueue<>(HEALTH_QUEUE)));
        executors.put(Pool.REQUESTS, executor("admin-worker", workers, new ArrayBlockingQueue<>(Math.max(1, queue))));
        executors.put(Pool.IMPORTS, executor("admin-import", importWorkers, new SynchronousQueue<>()));
    }

    private static ThreadPoolExecutor executor(String name, int threads, BlockingQueue<Runnable> queue) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, queue, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @throws RejectedExecutionException when the pool and its queue are full
     * @throws IllegalArgumentException for {@link Pool#EVENT_LOOP}, which has no executor here
     */
    void execute(Pool pool, Runnable task) {
        ThreadPoolExecutor e = executors.get(pool);
        if (e == null) {
            throw new IllegalArgumentException(pool + " requests are answered where they are read, not on a pool");
        }
        e.execute(task);
    }

    /** Stops taking work, lets running requests finish for up to 5 s, then interrupts them. */
    @Override
    public void close() {
        executors.values().forEach(ThreadPoolExecutor::shutdown);
        for (ThreadPoolExecutor e : executors.values()) {
            try {
                if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                e.shutdownNow();
            }
        }
    }
}
