package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.encoding.SmsKind;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One SMS as a durable job: what to send, where it stands, and who works on it. Immutable; every change is a
 * new value (made by {@code internal.JobLifecycle} through a {@link Builder}) written with a compare-and-set,
 * so two nodes never both think they own it.
 *
 * @param id             job id
 * @param warningId      the warning it belongs to
 * @param destination    E.164 number with '+'
 * @param kind           normal or flash
 * @param text           the rendered text
 * @param reference      concatenation reference, fixed for the job's life so resent parts join the others
 * @param createdAt      creation time; hold-while-down counts from here
 * @param state          where it stands
 * @param messageIds     the SMSC's message id per part (as its submit_sm_resp wrote it), "" while not accepted
 * @param partStates     where each part stands
 * @param smsc           the SMSC that accepted the parts ("" before)
 * @param attempts       send attempts that ended in a temporary error or timeout
 * @param ambiguous      response timeouts; each may mean the SMSC has the part
 * @param resentAfterTimeout parts sent again after a response timeout: possible duplicates on the handset
 * @param firstAttemptAt the first attempt that reached an SMSC, {@link Instant#EPOCH} before; retry max-age counts from here
 * @param nextAttemptAt  not to be sent before this time
 * @param leaseOwner     node working on the job, "" when none
 * @param leaseUntil     when that node's lease ends
 * @param lastError      the last error, "" when none
 * @param updatedAt      last change
 */
public record SmsJob(String id, String warningId, String destination, SmsKind kind, String text, int reference,
                     Instant createdAt, JobState state, List<String> messageIds, List<PartState> partStates, String smsc,
                     int attempts, int ambiguous, int resentAfterTimeout, Instant firstAttemptAt, Instant nextAttemptAt,
                     String leaseOwner, Instant leaseUntil, String lastError, Instant updatedAt) implements Serializable {

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
        if (messageIds.size() != partStates.size() || messageIds.isEmpty()) {
            throw new IllegalArgumentException("job " + id + ": " + messageIds.size() + " message ids for "
                    + partStates.size() + " part states");
        }
        requireNonNull(smsc, "smsc");
        requireNonNull(firstAttemptAt, "firstAttemptAt");
        requireNonNull(nextAttemptAt, "nextAttemptAt");
        requireNonNull(leaseOwner, "leaseOwner");
        requireNonNull(leaseUntil, "leaseUntil");
        requireNonNull(lastError, "lastError");
        requireNonNull(updatedAt, "updatedAt");
    }

    /** A new job with {@code parts} parts, not yet sent. */
    public static SmsJob queued(String id, String warningId, String destination, SmsKind kind, String text,
                                int reference, int parts, Instant now) {
        return new SmsJob(id, warningId, destination, kind, text, reference, now, JobState.QUEUED,
                Collections.nCopies(parts, ""), Collections.nCopies(parts, PartState.PENDING), "", 0, 0, 0,
                Instant.EPOCH, now, "", Instant.EPOCH, "", now);
    }

    public int parts() {
        return messageIds.size();
    }

    /** Whether another node may take the job: no owner, or the owner's lease has run out. */
    public boolean leaseFree(Instant now) {
        return leaseOwner.isEmpty() || leaseUntil.isBefore(now);
    }

    /** Whether an attempt ever reached an SMSC (any answer, or a response timeout). */
    public boolean everAttempted() {
        return !firstAttemptAt.equals(Instant.EPOCH);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A changed copy: set what changes, then {@link #build()}; everything else is kept. */
    public static final class Builder {
        private final SmsJob from;
        private JobState state;
        private final List<String> messageIds;
        private final List<PartState> partStates;
        private String smsc;
        private int attempts;
        private int ambiguous;
        private int resentAfterTimeout;
        private Instant firstAttemptAt;
        private Instant nextAttemptAt;
        private String leaseOwner;
        private Instant leaseUntil;
        private String lastError;

        private Builder(SmsJob j) {
            from = j;
            state = j.state;
            messageIds = new ArrayList<>(j.messageIds);
            partStates = new ArrayList<>(j.partStates);
            smsc = j.smsc;
            attempts = j.attempts;
            ambiguous = j.ambiguous;
            resentAfterTimeout = j.resentAfterTimeout;
            firstAttemptAt = j.firstAttemptAt;
            nextAttemptAt = j.nextAttemptAt;
            leaseOwner = j.leaseOwner;
            leaseUntil = j.leaseUntil;
            lastError = j.lastError;
        }

        public Builder state(JobState s) { state = s; return this; }
        public Builder messageId(int part, String id) { messageIds.set(part, id); return this; }
        public Builder partState(int part, PartState s) { partStates.set(part, s); return this; }
        public Builder smsc(String s) { smsc = s; return this; }
        public Builder moreAttempts(int n) { attempts += n; return this; }
        public Builder moreAmbiguous(int n) { ambiguous += n; return this; }
        public Builder moreResent(int n) { resentAfterTimeout += n; return this; }
        public Builder firstAttemptAt(Instant t) { firstAttemptAt = t; return this; }
        public Builder nextAttemptAt(Instant t) { nextAttemptAt = t; return this; }
        public Builder lease(String owner, Instant until) { leaseOwner = owner; leaseUntil = until; return this; }
        public Builder noLease() { return lease("", Instant.EPOCH); }
        public Builder lastError(String e) { lastError = e; return this; }

        public List<PartState> partStates() { return Collections.unmodifiableList(partStates); }
        public List<String> messageIds() { return Collections.unmodifiableList(messageIds); }
        public JobState state() { return state; }

        /** The changed job, last changed at {@code now}. */
        public SmsJob build(Instant now) {
            return new SmsJob(from.id, from.warningId, from.destination, from.kind, from.text, from.reference,
                    from.createdAt, state, messageIds, partStates, smsc, attempts, ambiguous, resentAfterTimeout,
                    firstAttemptAt, nextAttemptAt, leaseOwner, leaseUntil, lastError, now);
        }
    }
}
