package cn.antifraud.gateway.app;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running gateway re-reads on {@code SIGHUP} (the Unix convention for "re-read your files",
 * as sshd, nginx and PostgreSQL do), without a restart: number lists, and whatever other component
 * registers here (signing keys, TLS material). Each action runs in registration order; one that
 * fails is logged and reported, and the others still run, so a bad file for one component never
 * keeps the others on stale material. The gateway calls {@link #reloadAll()} off the signal thread.
 */
public final class Reloadables {
    private static final Logger LOG = LoggerFactory.getLogger(Reloadables.class);

    /** One reload action: re-reads its material and says, in a line for the log, what changed. */
    @FunctionalInterface
    public interface Reloadable {
        /**
         * Re-reads and applies; leaves the previous material in place when the new one is bad.
         *
         * @return what changed, e.g. "3 written, 120 unchanged" (logged as is)
         * @throws Exception when the material cannot be read or is invalid; nothing was applied
         */
        String reload() throws Exception;
    }

    /** The outcome of one action: {@code ok} with what changed, or not ok with the failure's message. */
    public record Result(String name, boolean ok, String detail) {
    }

    private record Entry(String name, Reloadable action) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** Adds an action, run on every reload after those registered before it. */
    public void register(String name, Reloadable action) {
        entries.add(new Entry(requireNonNull(name, "name"), requireNonNull(action, "action")));
    }

    /** The names of the registered actions, in the order they run. */
    public List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    /** Runs every action in order and logs each outcome; blocking (actions read files, write the registry). */
    public synchronized List<Result> reloadAll() {
        List<Result> results = new ArrayList<>();
        for (Entry e : entries) {
            Result r;
            try {
                r = new Result(e.name(), true, e.action().reload());
                LOG.info("reload {}: {}", e.name(), r.detail());
            } catch (Exception failure) {
                r = new Result(e.name(), false, String.valueOf(failure.getMessage()));
                LOG.error("reload {} failed, the previous material stays in use: {}", e.name(), failure.toString());
            }
            results.add(r);
        }
        return results;
    }
}
