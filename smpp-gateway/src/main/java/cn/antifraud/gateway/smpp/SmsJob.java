package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.encoding.SmsKind;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One SMS as a durable job in the map {@code durable.sms-jobs}: what to send, where it stands, and who works
 * on it. Immutable; every change is a new value written with a compare-and-set, so two nodes never both
 * think they own it.
 *
 * @param id             job id
 * @param warningId      the warning it belongs to
 * @param destination    E.164 number with '+'
 * @param kind           normal or flash
 * @param text           the rendered text
 * @param reference      concatenation reference, fixed for the job's life so resent parts join the others
 * @param createdAt      creation time; the retry max age counts from here
 * @param state          where it stands
 * @param messageIds     the SMSC's message id per part, "" while not accepted
 * @param partStates     receipt state per part: "" none yet, else DELIVERED / EXPIRED / FAILED
 * @param smsc           the SMSC that accepted the parts ("" before)
 * @param attempts       send attempts that ended in a temporary error or timeout
 * @param ambiguous      response timeouts; each may mean the SMSC has the part
 * @param resentAfterTimeout parts sent again after a response timeout: possible duplicates on the handset
 * @param nextAttemptAt  not to be sent before this time
 * @param leaseOwner     node working on the job, "" when none
 * @param leaseUntil     when that node's lease ends
 * @param lastError      the last error, "" when none
 * @param updatedAt      last change
 */
public record SmsJob(String id, String warningId, String destination, SmsKind kind, String text, int reference,
                     Instant createdAt, JobState state, List<String> messageIds, List<String> partStates, String smsc,
                     int attempts, int ambiguous, int resentAfterTimeout, Instant nextAttemptAt, String leaseOwner,
                     Instant leaseUntil, String lastError, Instant updatedAt) implements Serializable {

    public SmsJob {
        requireNonNull(id, "id");
        requireNonNull(warningId, "warningId");
        requireNonNull(destination, "destination");
        requireNonNull(kind, "kind");
        requireNonNull(text, "text");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(state, "state");
        messageIds = List.copyOf(messageIds);
        partStates = List.copyOf(partStates);
        requireNonNull(smsc, "smsc");
        requireNonNull(nextAttemptAt, "nextAttemptAt");
        requireNonNull(leaseOwner, "leaseOwner");
        requireNonNull(leaseUntil, "leaseUntil");
        requireNonNull(lastError, "lastError");
        requireNonNull(updatedAt, "updatedAt");
    }

    /** A new job with {@code parts} parts, not yet sent. */
    public static SmsJob queued(String id, String warningId, String destination, SmsKind kind, String text,
                                int reference, int parts, Instant now) {
        List<String> empty = Collections.nCopies(parts, "");
        return new SmsJob(id, warningId, destination, kind, text, reference, now, JobState.QUEUED, empty, empty, "",
                0, 0, 0, now, "", Instant.EPOCH, "", now);
    }

    public int parts() {
        return messageIds.size();
    }

    /** Whether another node may take the job: no owner, or the owner's lease has run out. */
    public boolean leaseFree(Instant now) {
        return leaseOwner.isEmpty() || leaseUntil.isBefore(now);
    }

    /** The job leased to {@code owner} until {@code until}. */
    public SmsJob withLease(String owner, Instant until, Instant now) {
        return new SmsJob(id, warningId, destination, kind, text, reference, createdAt, state, messageIds, partStates,
                smsc, attempts, ambiguous, resentAfterTimeout, nextAttemptAt, owner, until, lastError, now);
    }

    /** Records the outcome of an attempt and releases the lease. */
    public SmsJob afterAttempt(JobState newState, List<String> ids, String acceptedBy, int moreAttempts,
                               int moreAmbiguous, int moreResent, Instant next, String error, Instant now) {
        return new SmsJob(id, warningId, destination, kind, text, reference, createdAt, newState, ids, partStates,
                acceptedBy.isEmpty() ? smsc : acceptedBy, attempts + moreAttempts, ambiguous + moreAmbiguous,
                resentAfterTimeout + moreResent, next, "", Instant.EPOCH, error, now);
    }

    /** Records a receipt for one part; the job is final once every part has a final receipt. */
    public SmsJob withReceipt(int part, String receiptState, Instant now) {
        List<String> states = new ArrayList<>(partStates);
        states.set(part, receiptState);
        JobState next = state;
        if (!state.isFinal()) {
            if (states.contains(JobState.FAILED.name())) {
                next = JobState.FAILED;
            } else if (states.contains(JobState.EXPIRED.name())) {
                next = JobState.EXPIRED;
            } else if (states.stream().allMatch(JobState.DELIVERED.name()::equals)) {
                next = JobState.DELIVERED;
            }
        }
        return new SmsJob(id, warningId, destination, kind, text, reference, createdAt, next, messageIds, states,
                smsc, attempts, ambiguous, resentAfterTimeout, nextAttemptAt, leaseOwner, leaseUntil, lastError, now);
    }
}
