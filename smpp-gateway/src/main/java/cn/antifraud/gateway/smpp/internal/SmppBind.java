package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.BindConfig;
import cn.antifraud.gateway.smpp.BindHealth;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.SmscConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised SMPP session (SMPP 3.4 §2.2): binds, keeps the link alive with enquire_link (§4.11),
 * rebinds with backoff and jitter when the link drops, and sends submit_sm on its own bounded sender
 * pool whose size is the window (max outstanding requests, §2.7), paced by a per-bind TPS limit.
 *
 * <p>jsmpp's submit blocks until the response: so the window is the number of sender threads, and a
 * caller only ever enqueues. A full queue is answered at once with {@link SubmitOutcome.Kind#NO_BIND}
 * and the job retries later.
 */
public final class SmppBind {
    private static final Logger LOG = LoggerFactory.getLogger(SmppBind.class);

    private final String name;
    private final SmscConfig smsc;
    private final BindConfig bind;
    private final SmppGatewayConfig config;
    private final ScheduledExecutorService supervisor;
    private final ReceiptListener receipts;
    private final ThreadPoolExecutor senders;
    private final Pacer pacer;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Timer submitTimer;
    private final MeterRegistry meters;
    private final SmscSockets sockets;

    private volatile SMPPSession session;
    private volatile BindHealth health;
    private volatile boolean closing;
    private int failedAttempts;

    SmppBind(String name, SmscConfig smsc, BindConfig bind, SmppGatewayConfig config,
             ScheduledExecutorService supervisor, ReceiptListener receipts, MeterRegistry meters) {
        this.name = requireNonNull(name, "name");
        this.smsc = requireNonNull(smsc, "smsc");
        this.bind = requireNonNull(bind, "bind");
        this.config = requireNonNull(config, "config");
        this.supervisor = requireNonNull(supervisor, "supervisor");
        this.receipts = requireNonNull(receipts, "receipts");
        this.meters = requireNonNull(meters, "meters");
        this.senders = new ThreadPoolExecutor(config.windowSize(), config.windowSize(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queuePerBind()), new NamedThreads("smpp-send-" + name));
        this.pacer = new Pacer(config.tpsPerBind());
        this.sockets = new SmscSockets(config.bindTimeout());
        this.submitTimer = Timer.builder("smpp.submit.latency").tag("bind", name)
                .description("submit_sm to submit_sm_resp").register(meters);
        this.health = new BindHealth(name, BindHealth.State.CONNECTING, Instant.now(), "", 0);
        meters.gauge("smpp.bind.outstanding", io.micrometer.core.instrument.Tags.of("bind", name), outstanding);
        // 1 while bound, else 0: what the "SMSC bind down" alert watches (config/monitoring/).
        io.micrometer.core.instrument.Gauge.builder("smpp.bind.up", this, b -> b.isBound() ? 1 : 0).tag("bind", name)
                .description("1 while this bind is bound to its SMSC").register(meters);
    }

    String name() {
        return name;
    }

    String smscName() {
        return smsc.name();
    }

    BindHealth health() {
        BindHealth h = health;
        return new BindHealth(h.name(), h.state(), h.since(), h.lastError(), outstanding.get());
    }

    boolean isBound() {
        return health.state() == BindHealth.State.BOUND;
    }

    /** How many more submits this bind's queue takes now (0 while not bound). */
    int room() {
        return isBound() && !closing ? senders.getQueue().remainingCapacity() : 0;
    }

    /** Work waiting or in flight on this bind; the pool sends to the least loaded bound bind. */
    int load() {
        return senders.getQueue().size() + outstanding.get();
    }

    void start() {
        supervisor.execute(this::connect);
    }

    /** Queues one submit_sm; never blocks the caller. */
    CompletableFuture<SubmitOutcome> submit(SubmitPart part) {
        CompletableFuture<SubmitOutcome> result = new CompletableFuture<>();
        if (closing || !isBound()) {
            result.complete(new SubmitOutcome(SubmitOutcome.Kind.NO_BIND, null, -1, "bind " + name + " not bound"));
            return result;
        }
        try {
            senders.execute(() -> result.complete(send(part)));
        } catch (RejectedExecutionException e) {
            result.complete(new SubmitOutcome(SubmitOutcome.Kind.NO_BIND, null, -1, "bind " + name + " queue full"));
        }
        return result;
    }

    private SubmitOutcome send(SubmitPart part) {
        SMPPSession s = session;
        if (s == null || closing && health.state() == BindHealth.State.CLOSED) {
            return new SubmitOutcome(SubmitOutcome.Kind.NO_BIND, null, -1, "bind " + name + " lost before send");
        }
        pacer.acquire();
        outstanding.incrementAndGet();
        long start = System.nanoTime();
        try {
            String id = s.submitShortMessage("", TypeOfNumber.valueOf(part.source().ton()),
                    NumberingPlanIndicator.valueOf(part.source().npi()), part.source().address(),
                    TypeOfNumber.valueOf(part.destTon()), NumberingPlanIndicator.valueOf(part.destNpi()),
                    part.destination(), new ESMClass(part.esmClass()), (byte) 0, (byte) 0, null, null,
                    new RegisteredDelivery(SubmitPart.RECEIPT_ON_FINAL_OUTCOME), (byte) 0,
                    new RawDataCoding(part.dataCoding()), (byte) 0, part.shortMessage()).getMessageId();
            count("accepted");
            return SubmitOutcome.accepted(id);
        } catch (NegativeResponseException e) {
            SubmitOutcome o = SubmitOutcome.rejected(e.getCommandStatus());
            count(o.kind() == SubmitOutcome.Kind.TEMPORARY ? "temporary" : "permanent");
            return o;
        } catch (ResponseTimeoutException e) {
            count("timeout");
            return new SubmitOutcome(SubmitOutcome.Kind.AMBIGUOUS, null, -1, "no submit_sm_resp within " + config.responseTimeout());
        } catch (PDUException e) {
            // Refused while composing, before anything was written: the message itself is bad.
            count("invalid");
            return new SubmitOutcome(SubmitOutcome.Kind.PERMANENT, null, -1, "cannot compose submit_sm: " + e.getMessage());
        } catch (IOException | InvalidResponseException e) {
            // The link failed during the exchange: the bytes may have reached the SMSC (seen in the drop test:
            // parts accepted by the SMSC whose sender got "connection reset"), so a resend may be a duplicate.
            count("link_error");
            return new SubmitOutcome(SubmitOutcome.Kind.AMBIGUOUS, null, -1, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            outstanding.decrementAndGet();
            submitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private void count(String result) {
        meters.counter("smpp.submit", "bind", name, "result", result).increment();
    }

    private void connect() {
        if (closing) {
            return;
        }
        setState(BindHealth.State.CONNECTING, health.lastError());
        SMPPSession s = new SMPPSession(sockets);
        s.setEnquireLinkTimer((int) config.enquireLinkInterval().toMillis());
        s.setTransactionTimer(config.responseTimeout().toMillis());
        s.setMessageReceiverListener(new ReceiverListener(smsc.name(), receipts, meters));
        // jsmpp hands each received PDU (deliver_sm, and the submit_sm_resp a sender waits for) to a pool of
        // pduProcessorDegree threads (default 3) behind a queue of queueCapacity (default 100). When that queue
        // is full it answers a deliver_sm negatively at once, logged only at INFO: after a 10,000-warning outage
        // 86 of 20,000 receipts were refused so while the backlog drained (smsc_outage_queued.py), and their
        // jobs waited for the SMSC to resend. A receipt is recorded with a database write, so it takes a thread
        // for a commit: one per window slot, and a queue as deep as the bind's own submit queue.
        s.setPduProcessorDegree(Math.max(3, config.windowSize()));
        s.setQueueCapacity(Math.max(100, config.queuePerBind()));
        try {
            s.connectAndBind(smsc.host(), smsc.port(), new BindParameter(bindType(), bind.systemId(), bind.password(),
                    bind.systemType(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null),
                    config.bindTimeout().toMillis());
        } catch (IOException e) {
            s.close();
            onBindFailure(e);
            return;
        }
        s.addSessionStateListener((newState, oldState, source) -> {
            if (newState == SessionState.CLOSED && source == session) {
                onLinkLost();
            }
        });
        session = s;
        synchronized (this) {
            failedAttempts = 0;
        }
        setState(BindHealth.State.BOUND, "");
        LOG.info("bind {} bound to {}:{} as {}", name, smsc.host(), smsc.port(), bind.systemId());
        if (s.getSessionState() == SessionState.CLOSED) {
            onLinkLost();
        }
    }

    private void onBindFailure(IOException e) {
        NegativeResponseException negative = negativeCause(e);
        String error;
        BindHealth.State state = BindHealth.State.BACKOFF;
        if (negative != null) {
            int status = negative.getCommandStatus();
            error = "bind rejected: " + CommandStatus.describe(status) + explain(status);
            if (status == CommandStatus.ESME_RINVPASWD || status == CommandStatus.ESME_RINVSYSID
                    || status == CommandStatus.ESME_RBINDFAIL) {
                state = BindHealth.State.AUTH_FAILED;
            }
        } else {
            error = "cannot bind to " + smsc.host() + ":" + smsc.port() + ": " + e.getMessage();
        }
        scheduleReconnect(state, error);
    }

    private String explain(int status) {
        if (status == CommandStatus.ESME_RINVPASWD) {
            return " (wrong password for system_id " + bind.systemId() + ")";
        }
        if (status == CommandStatus.ESME_RINVSYSID) {
            return " (unknown system_id " + bind.systemId() + ")";
        }
        if (status == CommandStatus.ESME_RALYBND) {
            return " (the SMSC still holds the previous bind; retrying once it times it out)";
        }
        return "";
    }

    private static NegativeResponseException negativeCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof NegativeResponseException n) {
                return n;
            }
        }
        return null;
    }

    private void onLinkLost() {
        if (closing) {
            setState(BindHealth.State.CLOSED, health.lastError());
            return;
        }
        session = null;
        scheduleReconnect(BindHealth.State.BACKOFF, "connection lost");
    }

    private void scheduleReconnect(BindHealth.State state, String error) {
        if (closing) {
            setState(BindHealth.State.CLOSED, error);
            return;
        }
        long delay;
        int attempt;
        synchronized (this) {
            attempt = ++failedAttempts;
            delay = config.reconnectBackoff().delay(attempt - 1).toMillis();
        }
        setState(state, error);
        meters.counter("smpp.bind.failures", "bind", name, "state", state.name()).increment();
        // The operator watching an outage wants to know when the gateway will try again: the delay doubles
        // up to smpp.reconnect.max, so after a few minutes down an attempt comes only every max/2 to max.
        LOG.warn("bind {}: {}; failed attempt {} in a row, next attempt in {} s at {}", name, error, attempt,
                String.format(Locale.ROOT, "%.1f", delay / 1000.0),
                Instant.now().plusMillis(delay).truncatedTo(ChronoUnit.SECONDS));
        supervisor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void setState(BindHealth.State state, String error) {
        health = new BindHealth(name, state, Instant.now(), error, outstanding.get());
    }

    private BindType bindType() {
        return switch (bind.bindType()) {
            case TRANSMITTER -> BindType.BIND_TX;
            case RECEIVER -> BindType.BIND_RX;
            case TRANSCEIVER -> BindType.BIND_TRX;
        };
    }

    /** Stops taking work, waits for what is queued and in flight up to the drain timeout, then unbinds (§4.2). */
    void close() {
        closing = true;
        setState(BindHealth.State.DRAINING, health.lastError());
        senders.shutdown();
        try {
            if (!senders.awaitTermination(config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("bind {}: {} submits not drained within {}", name, senders.getQueue().size(), config.drainTimeout());
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            senders.shutdownNow();
        }
        SMPPSession s = session;
        session = null;
        if (s != null) {
            s.unbindAndClose();
        }
        setState(BindHealth.State.CLOSED, health.lastError());
    }
}
