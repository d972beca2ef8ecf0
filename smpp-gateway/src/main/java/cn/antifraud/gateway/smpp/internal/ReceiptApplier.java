package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records a matched receipt on its part and counts what it did: the last step of both receipt paths. */
final class ReceiptApplier {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptApplier.class);

    private final JobStore store;
    private final JobMetrics metrics;

    ReceiptApplier(JobStore store, JobMetrics metrics) {
        this.store = requireNonNull(store, "store");
        this.metrics = requireNonNull(metrics, "metrics");
    }

    void apply(PartRef part, DeliveryReceipt.Status status) {
        ReceiptEffect effect = store.recordReceipt(part, status);
        metrics.receipt(effect);
        switch (effect.outcome()) {
            case MADE_FINAL -> metrics.finalState(effect.state());
            case PART_ALREADY_FINAL -> LOG.debug("job {} part {}: receipt {} for a part already final, ignored",
                    part.jobId(), part.part(), status);
            case UNKNOWN_PART -> LOG.info("job {} part {}: receipt {} for a job no longer kept, ignored",
                    part.jobId(), part.part(), status);
            default -> { }
        }
    }
}
