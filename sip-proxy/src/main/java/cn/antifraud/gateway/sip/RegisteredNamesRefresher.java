package cn.antifraud.gateway.sip;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.WarningNumber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the proxy's protected names ({@link SipProxy#protectRegisteredNames}) in step with the
 * registry: every card name and agency of every warning number, revoked ones included. The whole
 * list is read page by page on this class's own thread (the registry's listing blocks), at start,
 * soon after {@link #changed()} (wire it to the registry's entry events) and every
 * {@code period} as a safety net against a missed event. The SIP hot path only ever reads the
 * precomputed set.
 */
public final class RegisteredNamesRefresher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegisteredNamesRefresher.class);
    private static final int PAGE = 500;
    /** Changes arriving together (an import, a burst of edits) cost one reading of the list. */
    private static final long COALESCE_MILLIS = 200;

    private final BiFunction<String, Integer, Page<WarningNumber>> pages;
    private final SipProxy proxy;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean pending = new AtomicBoolean();

    /**
     * @param pages  the registry's listing, e.g. {@code registry::listWarningNumbers} (cursor, limit)
     * @param proxy  the proxy whose protected names are kept
     * @param period how often the list is read even without a change event
     */
    public RegisteredNamesRefresher(BiFunction<String, Integer, Page<WarningNumber>> pages, SipProxy proxy, Duration period) {
        this.pages = requireNonNull(pages, "pages");
        this.proxy = requireNonNull(proxy, "proxy");
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-protected-names");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::refreshQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A warning number was added, changed or removed somewhere: read the list again shortly. */
    public void changed() {
        if (pending.compareAndSet(false, true)) {
            thread.schedule(() -> {
                pending.set(false);
                refreshQuietly();
            }, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the whole list now, on the calling thread (never an event loop); returns the protected count. */
    public int refresh() {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            Page<WarningNumber> page = pages.apply(cursor, PAGE);
            for (WarningNumber w : page.items()) {
                names.add(w.cardName());
                names.add(w.agency());
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return proxy.protectRegisteredNames(names);
    }

    private void refreshQuietly() {
        try {
            int n = refresh();
            LOG.debug("protected display names refreshed: {}", n);
        } catch (RuntimeException e) {
            // The previous set stays in force; the next change or period tries again.
            LOG.warn("protected display names not refreshed from the registry: {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
