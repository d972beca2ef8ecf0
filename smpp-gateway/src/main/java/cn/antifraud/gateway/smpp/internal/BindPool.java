package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.BindConfig;
import cn.antifraud.gateway.smpp.BindHealth;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.SmscConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/** Every configured bind of every SMSC; spreads submits over the bound ones, least loaded first. */
public final class BindPool implements AutoCloseable {
    private final List<SmppBind> binds;
    private final AtomicInteger rotation = new AtomicInteger();
    /**
     * Queue room wanted before a job is leased: more than a warning's parts, so that the jobs the dispatch
     * threads lease at the same moment mostly fit too (a part that does not comes back NO_BIND and is retried).
     */
    static final int ROOM_TO_LEASE = 32;
    private final int roomToLease;
    /** Slots held per job being leased: a warning's parts (two for the default template), with a margin. */
    static final int SLOTS_PER_JOB = 4;
    /** Queue slots held by dispatches between their room check and queueing their parts ({@link #tryReserve}). */
    private final AtomicInteger reserved = new AtomicInteger();

    /** A submit's outcome with the SMSC that answered it, since message ids are unique only per SMSC. */
    public record Sent(String smsc, SubmitOutcome outcome) {
    }

    public BindPool(SmppGatewayConfig config, ScheduledExecutorService supervisor, ReceiptListener receipts, MeterRegistry meters) {
        requireNonNull(config, "config");
        List<SmppBind> all = new ArrayList<>();
        for (SmscConfig smsc : config.smscs()) {
            for (BindConfig bind : smsc.binds()) {
                for (int i = 1; i <= bind.count(); i++) {
                    String name = smsc.name() + "/" + bind.systemId() + "#" + i;
                    all.add(new SmppBind(name, smsc, bind, config, supervisor, receipts, meters));
                }
            }
        }
        this.binds = List.copyOf(all);
        // Half the queues at most, so that a small configured queue still sends.
        this.roomToLease = Math.max(1, Math.min(ROOM_TO_LEASE, config.queuePerBind() * binds.size() / 2));
    }

    public void start() {
        binds.forEach(SmppBind::start);
    }

    public List<BindHealth> health() {
        return binds.stream().map(SmppBind::health).toList();
    }

    /** Whether any bind can take a submit_sm now; while none can, jobs wait untouched. */
    public boolean anyBound() {
        for (SmppBind b : binds) {
            if (b.isBound()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Holds {@link #SLOTS_PER_JOB} queue slots for a job about to be leased, if the bound binds' queues take
     * {@link #ROOM_TO_LEASE} more submits (or half their capacity, when that is less) beyond what other dispatches
     * hold; false when not. A true must be followed by one {@link #release}, once the job's parts are queued (they
     * then count in the queues' own room) or it was not sent. A job is leased only when this holds: sent into full
     * queues, its parts came back at once as NO_BIND, and each such attempt was a journaled transition and a retry
     * (3.3 per warning in a burst of 10,000 two-part warnings against 4 binds queueing 1,000 each); and checked
     * without holding, 32 dispatch threads saw the same room while their leases ran.
     */
    public boolean tryReserve() {
        while (true) {
            int held = reserved.get();
            if (room() - held < roomToLease) {
                return false;
            }
            if (reserved.compareAndSet(held, held + SLOTS_PER_JOB)) {
                return true;
            }
        }
    }

    /** Gives back what one {@link #tryReserve} held. */
    public void release() {
        reserved.addAndGet(-SLOTS_PER_JOB);
    }

    /** Submits the bound binds' queues take now, in all. */
    private int room() {
        int room = 0;
        for (SmppBind b : binds) {
            room += b.room();
        }
        return room;
    }

    /**
     * Sends the parts of one message on one bind, the least loaded bound one, queued one after the other: spread
     * over binds with queues of different depths, a part's receipt often came before its sibling's
     * submit_sm_resp, that is before the message was recorded, and had to be parked (17% of the receipts of a
     * 10,000-warning burst). Each completes at once with NO_BIND when no bind is bound. Never blocks.
     */
    public List<CompletableFuture<Sent>> submitTogether(List<SubmitPart> parts) {
        SmppBind bind = leastLoaded();
        List<CompletableFuture<Sent>> sent = new ArrayList<>(parts.size());
        for (SubmitPart part : parts) {
            sent.add(bind == null ? noBind() : bind.submit(part).thenApply(o -> new Sent(bind.smscName(), o)));
        }
        return sent;
    }

    /** Sends on the least loaded bound bind; completes at once with NO_BIND when none is bound. Never blocks. */
    public CompletableFuture<Sent> submit(SubmitPart part) {
        return submitTogether(List.of(part)).get(0);
    }

    private static CompletableFuture<Sent> noBind() {
        return CompletableFuture.completedFuture(new Sent("", new SubmitOutcome(SubmitOutcome.Kind.NO_BIND, null, -1,
                "no bind is bound")));
    }

    private SmppBind leastLoaded() {
        int n = binds.size();
        int start = Math.floorMod(rotation.getAndIncrement(), n);
        SmppBind best = null;
        for (int i = 0; i < n; i++) {
            SmppBind b = binds.get((start + i) % n);
            if (b.isBound() && (best == null || b.load() < best.load())) {
                best = b;
            }
        }
        return best;
    }

    @Override
    public void close() {
        binds.parallelStream().forEach(SmppBind::close);
    }
}
