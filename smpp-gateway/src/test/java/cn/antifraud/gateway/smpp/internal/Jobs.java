package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.smpp.Backoff;
import cn.antifraud.gateway.smpp.RetryPolicy;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Jobs in given states for tests, made by the lifecycle's own transitions. */
final class Jobs {
    static final LifecyclePolicy POLICY = new LifecyclePolicy(
            new RetryPolicy(Duration.ofHours(1), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)), true),
            Duration.ofDays(7), Duration.ofMinutes(30));

    private Jobs() {
    }

    static SmsJob queued(String id, int parts, Instant at) {
        return SmsJob.queued(id, "warning-" + id, "+8613800138000", SmsKind.NORMAL, "text", 7, parts, at);
    }

    /** Every part accepted by {@code smsc} with the given ids, at {@code at}. */
    static SmsJob submitted(SmsJob job, String smsc, List<String> ids, Instant at) {
        List<JobEvent.PartAttempt> parts = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            parts.add(new JobEvent.PartAttempt(i, SubmitOutcome.Kind.ACCEPTED, ids.get(i), smsc, "accepted"));
        }
        return JobLifecycle.apply(job, new JobEvent.Attempted(parts), POLICY, at);
    }

    static SmsJob receipt(SmsJob job, int part, DeliveryReceipt.Status status, Instant at) {
        return JobLifecycle.apply(job, new JobEvent.Receipt(part, status), POLICY, at);
    }
}
