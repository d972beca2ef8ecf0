package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

/**
 * A daemon thread that ticks {@link RegistryQuorum#tick} every {@value #TICK_MILLIS} ms, so the quorum
 * notices when this whole process was paused (SIGSTOP, a frozen VM, a stop-the-world GC): the gap
 * between two ticks is then as long as the pause. Cheap: one wake-up per tick, nothing else.
 */
final class PauseWatch implements AutoCloseable {

    static final long TICK_MILLIS = 250;

    private final Thread thread;
    private volatile boolean running = true;

    PauseWatch(RegistryQuorum quorum, String name) {
        requireNonNull(quorum, "quorum");
        thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(TICK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                quorum.tick(System.nanoTime());
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
