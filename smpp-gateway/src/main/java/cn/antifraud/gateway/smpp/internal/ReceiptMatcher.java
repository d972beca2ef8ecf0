package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.ReceiptIdFormat;
import cn.antifraud.gateway.registry.work.WorkStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the one part a delivery receipt (SMPP 3.4 Appendix B) reports on. A part accepted by an SMSC is
 * indexed under exactly one key: the SMSC's name and the id its receipts will carry, derived from the
 * submit_sm_resp id by that SMSC's configured {@link ReceiptIdFormat}. A receipt is looked up under one key,
 * its own id. No other spellings are tried: with sequential ids, one message's id "10" read as hex is another
 * message's "16", so trying spellings lands receipts on the wrong jobs.
 *
 * <p>A receipt can overtake its submit_sm_resp (the SMSC sends it before the gateway has recorded the id).
 * Then it is parked (durable) under the same key, and the receipt side leaves a {@link #WAITING} mark in the
 * index entry, if it is still empty. Both sides meet in that one entry, whose writes are atomic: the submit
 * side's write of its part returns what was there, so it looks for a parked receipt only when the mark was
 * there (not at every part, which cost a cluster operation per SMS); the receipt side's mark, when it comes
 * second, returns the part. So one of them always finds the other. The submit side applies a parked receipt
 * before it removes it (a crash in between leaves it parked, to be applied after the restart); the receipt
 * side applies it if its own remove succeeds. So a parked receipt is applied at least once, never lost, and a
 * second application changes nothing (the part is already final; counted as {@code part_already_final}). A
 * receipt parked without its mark (its node died in between, or a full restart emptied the index) is found
 * by the sweep, which repairs a part left SUBMITTED without a receipt ({@link #reindex}).
 *
 * <p>Both ids are logged at DEBUG ("submit_sm_resp id" and "receipt id"), which is how an operator finds
 * out an SMSC's format: compare the two for one message.
 */
final class ReceiptMatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptMatcher.class);
    /** How long a parked receipt waits for its submit_sm_resp to be recorded (seconds in practice). */
    static final Duration PARKED_TTL = Duration.ofHours(1);
    /**
     * How long a message id is kept for receipt matching. SMSCs reuse ids after a while, and a receipt later
     * than a few days is past any validity period an SMSC keeps.
     */
    static final Duration INDEX_TTL = Duration.ofDays(3);
    /**
     * The index entry of a key whose receipt is parked, before its part is indexed; lives as long as the
     * parked receipt. Not a {@link PartRef} (which has a '#').
     */
    static final String WAITING = "receipt-parked";

    private final Map<String, ReceiptIdFormat> formats;
    private final WorkStore<String> index;
    private final WorkStore<String> parked;
    private final MeterRegistry meters;

    /**
     * @param formats receipt id format by SMSC name
     * @param index   "smsc:receipt id" → {@link PartRef#encoded()}
     * @param parked  "smsc:receipt id" → status of a receipt that came before its part was indexed
     */
    ReceiptMatcher(Map<String, ReceiptIdFormat> formats, WorkStore<String> index,
                   WorkStore<String> parked, MeterRegistry meters) {
        this.formats = Map.copyOf(formats);
        this.index = requireNonNull(index, "index");
        this.parked = requireNonNull(parked, "parked");
        this.meters = requireNonNull(meters, "meters");
    }

    /**
     * Indexes an accepted part under the key its receipt will carry, then applies a receipt parked there
     * before (through {@code apply}) and only then releases it.
     */
    void indexAccepted(String smsc, String submitRespId, PartRef part, Consumer<DeliveryReceipt.Status> apply) {
        indexAccepted(List.of(new Accepted(smsc, submitRespId, part, apply)));
    }

    /**
     * As {@link #indexAccepted(String, String, PartRef, Consumer)} for the accepted parts of one attempt, their
     * index writes in flight together (one wait for the thread that got the submit_sm_resp, not one per part).
     */
    void indexAccepted(List<Accepted> parts) {
        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, Accepted> byKey = new HashMap<>();
        for (Accepted a : parts) {
            Optional<String> key = key(a.smsc(), a.submitRespId(), a.part());
            if (key.isPresent()) {
                entries.put(key.get(), a.part().encoded());
                byKey.put(key.get(), a);
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        Map<String, String> replaced = index.putAll(entries, INDEX_TTL);
        replaced.forEach((key, before) -> {
            if (WAITING.equals(before)) {
                applyParked(key, "before_submit_resp", byKey.get(key).apply());
            }
        });
    }

    /** One accepted part: the SMSC that accepted it, the id of its submit_sm_resp, and how to apply its receipt. */
    record Accepted(String smsc, String submitRespId, PartRef part, Consumer<DeliveryReceipt.Status> apply) {
    }

    /**
     * Repairs a part whose index entry a crash may have lost (a node killed between recording the id and
     * indexing it), and applies its parked receipt. Leaves an entry of another part alone: the SMSC reused the id.
     */
    void reindex(String smsc, String submitRespId, PartRef part, Consumer<DeliveryReceipt.Status> apply) {
        Optional<String> key = key(smsc, submitRespId, part);
        if (key.isEmpty()) {
            return;
        }
        String there = index.putIfAbsent(key.get(), part.encoded(), INDEX_TTL);
        if (WAITING.equals(there)) {
            // Its receipt came while the entry was lost: the part takes the entry over from the mark.
            index.put(key.get(), part.encoded(), INDEX_TTL);
        } else if (there == null) {
            count("reindexed");
        } else if (!there.equals(part.encoded())) {
            return;
        }
        applyParked(key.get(), "recovered_after_crash", apply);
    }

    /**
     * The part {@code receipt} reports on, for the caller to apply it; empty when it was parked to wait for
     * its part (or the submit side claimed it meanwhile and applies it).
     */
    Optional<PartRef> match(String smsc, DeliveryReceipt receipt) {
        String key = smsc + ":" + ReceiptIdFormat.canonical(receipt.messageId());
        LOG.debug("{}: receipt id '{}' ({}), key {}", smsc, receipt.messageId(), receipt.status(), key);
        String target = index.get(key);
        if (target != null && !WAITING.equals(target)) {
            count("matched");
            return Optional.of(PartRef.parse(target));
        }
        // Park first, then mark the entry: the submit side's write of the entry returns the mark when it comes
        // second, and then it applies the parked receipt; when it came first, the mark finds its part. If both
        // apply it, that is harmless.
        parked.put(key, receipt.status().name(), PARKED_TTL);
        target = index.putIfAbsent(key, WAITING, PARKED_TTL);
        if (target == null || WAITING.equals(target)) {
            count("parked");
            return Optional.empty();
        }
        if (parked.remove(key) == null) {
            return Optional.empty();
        }
        count("matched");
        return Optional.of(PartRef.parse(target));
    }

    private Optional<String> key(String smsc, String submitRespId, PartRef part) {
        ReceiptIdFormat format = formats.getOrDefault(smsc, ReceiptIdFormat.AS_IS);
        Optional<String> receiptId = format.receiptKeyOf(submitRespId);
        if (receiptId.isEmpty()) {
            count("unconvertible_id");
            LOG.warn("{}: submit_sm_resp id '{}' of job {} part {} cannot be read as receipt-id-format {}; its"
                    + " receipt will not match", smsc, submitRespId, part.jobId(), part.part(), format.configName());
            return Optional.empty();
        }
        LOG.debug("{}: submit_sm_resp id '{}' for job {} part {}; its receipt id should be '{}' ({})", smsc,
                submitRespId, part.jobId(), part.part(), receiptId.get(), format.configName());
        return Optional.of(smsc + ":" + receiptId.get());
    }

    /**
     * Applies the receipt parked under {@code key}, if any, and removes it only after: removed first, a node
     * killed before applying it lost the receipt for good (the SMSC had its deliver_sm_resp; found by kill -9
     * during a batch intake). Applying a receipt twice is harmless (a part already final stays as it is,
     * counted as {@code part_already_final}), so the receipt side may apply it too.
     */
    private void applyParked(String key, String how, Consumer<DeliveryReceipt.Status> apply) {
        String early = parked.get(key);
        if (early == null) {
            return;
        }
        apply.accept(DeliveryReceipt.Status.valueOf(early));
        if (parked.remove(key) != null) {
            count(how);
        }
    }

    private void count(String match) {
        meters.counter("smpp.receipts", "match", match).increment();
    }
}
