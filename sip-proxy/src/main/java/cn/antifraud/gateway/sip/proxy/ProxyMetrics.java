package cn.antifraud.gateway.sip.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's Micrometer meters. Tag values come from bounded sets (known methods, status codes,
 * configured peer names, fixed reasons) so a hostile peer cannot blow up the registry.
 */
public final class ProxyMetrics {
    private static final Set<String> METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER",
            "PRACK", "UPDATE", "INFO", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH");

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Counter> responses = new ConcurrentHashMap<>();
    private final Timer processing;

    public ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.processing = Timer.builder("sip.processing")
                .description("Time spent deciding what to do with one inbound message")
                .register(registry);
    }

    void request(String method) {
        // One map lookup per message: the generic counter() builds a key string every time.
        Counter c = requests.get(method);
        if (c == null) {
            String tag = METHODS.contains(method) ? method : "OTHER";
            c = requests.computeIfAbsent(METHODS.contains(method) ? method : "OTHER",
                    m -> counter("sip.messages", "type", "request", "method", tag));
        }
        c.increment();
    }

    void response(int status) {
        Counter c = responses.get(status);
        if (c == null) {
            c = responses.computeIfAbsent(status, s -> counter("sip.messages", "type", "response", "status", Integer.toString(s)));
        }
        c.increment();
    }

    void localResponse(int status) {
        counter("sip.local.responses", "status", Integer.toString(status)).increment();
    }

    void branded(String ingress) {
        counter("sip.branded.calls", "ingress", ingress).increment();
    }

    void spoof(String ingress) {
        counter("sip.spoofs", "ingress", ingress).increment();
    }

    void fraudContact(String fraudType, String action) {
        counter("sip.fraud.contacts", "fraud_type", fraudType, "action", action).increment();
    }

    void contactPublishFailure() {
        counter("sip.contact.publish.failures").increment();
    }

    /** An INVITE that waited off the event loop for the registry's answer on a party its node had not cached. */
    public void fraudCheckDeferred() {
        counter("sip.fraud.checks.deferred").increment();
    }

    /** A deferred fraud check whose registry lookup failed: the INVITE was forwarded without a contact event. */
    public void fraudCheckFailure() {
        counter("sip.fraud.checks.failed").increment();
    }

    /** {@code kind}: request, response or stream. */
    public void parseError(String kind) {
        counter("sip.parse.errors", "kind", kind).increment();
    }

    /** A TCP connection closed by the proxy; {@code reason} is a fixed constant (idle). */
    public void tcpClosed(String reason) {
        counter("sip.tcp.closed", "reason", reason).increment();
    }

    /** {@code reason} is a fixed constant. */
    public void dropped(String reason) {
        counter("sip.dropped", "reason", reason).increment();
    }

    void processing(long nanos) {
        processing.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String... tags) {
        String key = name + String.join("|", tags);
        Counter c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
        }
        return c;
    }
}
