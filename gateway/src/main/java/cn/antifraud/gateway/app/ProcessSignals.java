package cn.antifraud.gateway.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Binds the POSIX signals a service manager sends to the gateway's own actions: {@code SIGTERM} and
 * {@code SIGINT} to a clean stop that exits 0 (the JVM's default, shutdown hooks then status
 * 128+15 = 143, reads as a failure to systemd and to scripts), {@code SIGHUP} to a reload.
 *
 * <p>The JVM runs a handler on a short-lived thread of its own; the actions given here must only hand
 * the work on (count down a latch, submit to an executor), never do it there.
 */
final class ProcessSignals {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessSignals.class);

    private ProcessSignals() {
    }

    /**
     * Runs {@code action} with the signal's name (e.g. "TERM") whenever {@code SIG<name>} arrives.
     *
     * @return false when this JVM does not let the signal be handled (another platform, {@code -Xrs},
     *         or the signal was ignored when the process started); the JVM's default for it, or the
     *         ignoring, then stays in force, which is logged
     */
    static boolean on(String name, java.util.function.Consumer<String> action) {
        try {
            SignalHandler previous = Signal.handle(new Signal(name), s -> action.accept(s.getName()));
            if (previous == SignalHandler.SIG_IGN) {
                // The JVM keeps a signal ignored when it was ignored at process start (nohup ignores
                // SIGHUP), and installs nothing: say so, or a reload would silently never happen.
                LOG.warn("SIG{} was ignored when this process started (nohup?), and stays ignored", name);
                return false;
            }
            return true;
        } catch (IllegalArgumentException unavailable) {
            LOG.warn("cannot handle SIG{} here ({}); the JVM's default applies", name, unavailable.getMessage());
            return false;
        }
    }
}
