package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.PartState;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a job: a versioned, field-by-field byte array. Java serialization of the record cost
 * more CPU than sending the SMS (measured: it led the profile of the throughput benchmark); a byte[] value is
 * also what a JDBC write-through store keeps most simply. Version 2 stores part states as enum bytes and the
 * first attempt's time; version 1 values (part states as strings) are still read, so a rolling upgrade keeps
 * the jobs a previous release queued. The fields are laid out as {@code DataOutputStream} writes them
 * ({@link FieldBytes}, which writes and reads them several times faster).
 */
public final class JobCodec {
    private static final byte VERSION = 2;
    private static final byte VERSION_1 = 1;
    private static final int MAX_ERROR_CHARS = 2000;

    private JobCodec() {
    }

    public static byte[] encode(SmsJob j) {
        FieldBytes.Writer out = new FieldBytes.Writer(256 + 3 * j.text().length());
        out.writeByte(VERSION);
        out.writeUtf(j.id());
        out.writeUtf(j.warningId());
        out.writeUtf(j.destination());
        out.writeByte(j.kind().ordinal());
        out.writeUtf(j.text());
        out.writeInt(j.reference());
        instant(out, j.createdAt());
        out.writeByte(j.state().ordinal());
        list(out, j.messageIds());
        for (PartState p : j.partStates()) {
            out.writeByte(p.ordinal());
        }
        out.writeUtf(j.smsc());
        out.writeInt(j.attempts());
        out.writeInt(j.ambiguous());
        out.writeInt(j.resentAfterTimeout());
        instant(out, j.firstAttemptAt());
        instant(out, j.nextAttemptAt());
        out.writeUtf(j.leaseOwner());
        instant(out, j.leaseUntil());
        out.writeUtf(j.lastError().length() > MAX_ERROR_CHARS ? j.lastError().substring(0, MAX_ERROR_CHARS) : j.lastError());
        instant(out, j.updatedAt());
        return out.toByteArray();
    }

    /** The job, or null for null; a value written by an unknown format version is refused by name. */
    public static SmsJob decode(byte[] data) {
        if (data == null) {
            return null;
        }
        FieldBytes.Reader in = new FieldBytes.Reader(data);
        byte version;
        try {
            version = (byte) in.readByte();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stored job is empty", e);
        }
        if (version != VERSION && version != VERSION_1) {
            throw new IllegalArgumentException("stored job has format version " + version + ", this node reads "
                    + VERSION_1 + " and " + VERSION);
        }
        try {
            String id = in.readUtf();
            String warningId = in.readUtf();
            String destination = in.readUtf();
            SmsKind kind = SmsKind.values()[in.readByte()];
            String text = in.readUtf();
            int reference = in.readInt();
            Instant createdAt = instant(in);
            JobState state = JobState.values()[in.readByte()];
            List<String> messageIds = list(in);
            List<PartState> parts = version == VERSION ? partStates(in, messageIds.size()) : partStatesV1(list(in), messageIds);
            String smsc = in.readUtf();
            int attempts = in.readInt();
            int ambiguous = in.readInt();
            int resent = in.readInt();
            Instant firstAttemptAt = version == VERSION ? instant(in)
                    : attempts > 0 || messageIds.stream().anyMatch(m -> !m.isEmpty()) ? createdAt : Instant.EPOCH;
            return new SmsJob(id, warningId, destination, kind, text, reference, createdAt, state, messageIds, parts,
                    smsc, attempts, ambiguous, resent, firstAttemptAt, instant(in), in.readUtf(), instant(in),
                    in.readUtf(), instant(in));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("stored job is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    private static List<PartState> partStates(FieldBytes.Reader in, int n) {
        List<PartState> states = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            states.add(PartState.values()[in.readUnsignedByte()]);
        }
        return states;
    }

    /** Version 1 wrote "" (no receipt yet), "AMBIGUOUS", or a final state's name per part. */
    private static List<PartState> partStatesV1(List<String> written, List<String> messageIds) {
        List<PartState> states = new ArrayList<>(written.size());
        for (int i = 0; i < written.size(); i++) {
            String w = written.get(i);
            states.add(!w.isEmpty() ? PartState.valueOf(w)
                    : messageIds.get(i).isEmpty() ? PartState.PENDING : PartState.SUBMITTED);
        }
        return states;
    }

    private static void instant(FieldBytes.Writer out, Instant t) {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant instant(FieldBytes.Reader in) {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void list(FieldBytes.Writer out, List<String> xs) {
        out.writeShort(xs.size());
        for (String x : xs) {
            out.writeUtf(x);
        }
    }

    private static List<String> list(FieldBytes.Reader in) {
        int n = in.readUnsignedShort();
        List<String> xs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            xs.add(in.readUtf());
        }
        return xs;
    }
}
