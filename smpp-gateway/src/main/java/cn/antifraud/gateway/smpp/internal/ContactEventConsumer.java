package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.ContactEventLog;
import cn.antifraud.gateway.smpp.NotAMobileNumberException;
import cn.antifraud.gateway.smpp.WarningRequest;
import cn.antifraud.gateway.smpp.WarningService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the registry's {@link ContactEventLog}: each contact the SIP proxy saw becomes a warning
 * request of the event's tier (预警发现实时化; tier 2 after a long answered call). An event is acknowledged only after its warning's jobs are stored, so a node that
 * dies in between leaves it to be claimed again when the lease lapses; the dedup window keeps the second
 * claim from warning twice.
 */
public final class ContactEventConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(ContactEventConsumer.class);
    private static final int BATCH = 100;

    private final ContactEventLog log;
    private final WarningService warnings;
    private final String consumer;
    private final Duration lease;
    private final MeterRegistry meters;

    public ContactEventConsumer(ContactEventLog log, WarningService warnings, String consumer, Duration lease,
                                MeterRegistry meters) {
        this.log = requireNonNull(log, "log");
        this.warnings = requireNonNull(warnings, "warnings");
        this.consumer = requireNonNull(consumer, "consumer");
        this.lease = requireNonNull(lease, "lease");
        this.meters = requireNonNull(meters, "meters");
    }

    /** Claims and handles one batch; blocking, run it on the gateway's scheduler. Returns how many were claimed. */
    public int poll() {
        List<ContactEvent> events = log.claim(consumer, BATCH, lease);
        for (ContactEvent event : events) {
            WarningRequest request = new WarningRequest(event.subscriber(), event.fraudType(), event.tier(), event.fraudNumber(),
                    WarningRequest.Source.CONTACT_EVENT);
            warnings.warn(request).whenComplete((record, error) -> {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof NotAMobileNumberException) {
                    // A call to a landline: no SMS can warn it, and claiming it again would not change that.
                    log.acknowledge(event.id());
                    meters.counter("smpp.contact_events", "result", "not_mobile").increment();
                    return;
                }
                if (error != null) {
                    meters.counter("smpp.contact_events", "result", "error").increment();
                    LOG.warn("contact event {}: warning not stored, left for a later claim: {}", event.id(), error.toString());
                    return;
                }
                log.acknowledge(event.id());
                meters.counter("smpp.contact_events", "result", "acknowledged").increment();
            });
        }
        return events.size();
    }
}
