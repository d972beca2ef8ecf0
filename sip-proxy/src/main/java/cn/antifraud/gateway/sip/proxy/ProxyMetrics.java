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
    /** Meters with one tag, cached per tag value: no key string built per message (branded calls, drops). */
    private final OneTagCounters localResponses;
    private final OneTagCounters branded;
    private final OneTagCounters spoofs;
    private final OneTagCounters parseErrors;
    private final OneTagCounters dropped;

    public ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.processing = Timer.builder("sip.processing")
                .description("Time spent deciding what to do with one inbound message")
                .register(registry);
        this.localResponses = new OneTagCounters("sip.local.responses", "status");
        this.branded = new OneTagCounters("sip.branded.calls", "ingress");
        this.spoofs = new OneTagCounters("sip.spoofs", "ingress");
        this.parseErrors = new OneTagCounters("sip.parse.errors", "kind");
        this.dropped = new OneTagCounters("sip.dropped", "reason");
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
        localResponses.get(Integer.toString(status)).increment();
    }

    void branded(String ingress) {
        branded.get(ingress).increment();
    }

    void spoof(String ingress) {
        spoofs.get(ingress).increment();
    }

    /**
     * An INVITE not branded by us whose From or P-Asserted-Identity display name imitated a protected
     * name; {@code reason} is protected_term or registered_name.
     */
    void displayNameShielded(String ingress, String reason) {
        counter("sip.display_name.shielded", "ingress", ingress, "reason", reason).increment();
    }

    /** A request too large for a datagram once our Via was added: {@code outcome} tcp, rejected_513 or ack_dropped. */
    void udpTooLarge(String outcome) {
        counter("sip.udp.too_large", "outcome", outcome).increment();
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
        parseErrors.get(kind).increment();
    }

    /** A tier-2 (long answered) fraud contact: {@code result} is published, publish_failed or untracked. */
    void longCall(String result) {
        counter("sip.fraud.long_calls", "result", result).increment();
    }

    /** A TCP connection closed by the proxy; {@code reason} is a fixed constant (idle). */
    public void tcpClosed(String reason) {
        counter("sip.tcp.closed", "reason", reason).increment();
    }

    /** {@code reason} is a fixed constant. */
    public void dropped(String reason) {
        dropped.get(reason).increment();
    }

    void processing(long nanos) {
        processing.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counters of one meter name with one tag key, by tag value (values come from bounded sets, see above). */
    private final class OneTagCounters {
        private final String name;
        private final String tagKey;
        private final ConcurrentHashMap<String, Counter> byValue = new ConcurrentHashMap<>();

        OneTagCounters(String name, String tagKey) {
            this.name = name;
            this.tagKey = tagKey;
        }

        Counter get(String value) {
            Counter c = byValue.get(value);
            if (c == null) {
                c = byValue.computeIfAbsent(value, v -> counter(name, tagKey, v));
            }
            return c;
        }
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
