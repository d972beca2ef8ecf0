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

    /** Sends on the least loaded bound bind; completes at once with NO_BIND when none is bound. Never blocks. */
    public CompletableFuture<Sent> submit(SubmitPart part) {
        int n = binds.size();
        int start = Math.floorMod(rotation.getAndIncrement(), n);
        SmppBind best = null;
        for (int i = 0; i < n; i++) {
            SmppBind b = binds.get((start + i) % n);
            if (b.isBound() && (best == null || b.load() < best.load())) {
                best = b;
            }
        }
        if (best == null) {
            return CompletableFuture.completedFuture(new Sent("",
                    new SubmitOutcome(SubmitOutcome.Kind.NO_BIND, null, -1, "no bind is bound")));
        }
        String smsc = best.smscName();
        return best.submit(part).thenApply(o -> new Sent(smsc, o));
    }

    @Override
    public void close() {
        binds.parallelStream().forEach(SmppBind::close);
    }
}
