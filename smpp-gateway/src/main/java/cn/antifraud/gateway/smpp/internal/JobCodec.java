package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a job in {@code durable.sms-jobs}: a versioned, field-by-field byte array. Java
 * serialization of the record cost more CPU than sending the SMS (measured: it led the profile of the
 * throughput benchmark); a byte[] value is also what a JDBC write-through store keeps most simply.
 */
public final class JobCodec {
    private static final byte VERSION = 1;

    private JobCodec() {
    }

    public static byte[] encode(SmsJob j) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(j.id());
            out.writeUTF(j.warningId());
            out.writeUTF(j.destination());
            out.writeByte(j.kind().ordinal());
            out.writeUTF(j.text());
            out.writeInt(j.reference());
            instant(out, j.createdAt());
            out.writeByte(j.state().ordinal());
            list(out, j.messageIds());
            list(out, j.partStates());
            out.writeUTF(j.smsc());
            out.writeInt(j.attempts());
            out.writeInt(j.ambiguous());
            out.writeInt(j.resentAfterTimeout());
            instant(out, j.nextAttemptAt());
            out.writeUTF(j.leaseOwner());
            instant(out, j.leaseUntil());
            out.writeUTF(j.lastError().length() > 2000 ? j.lastError().substring(0, 2000) : j.lastError());
            instant(out, j.updatedAt());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode job " + j.id(), e);
        }
        return bytes.toByteArray();
    }

    /** The job, or null for null; a value written by another format version is refused by name. */
    public static SmsJob decode(byte[] data) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("stored job has format version " + version + ", this node reads " + VERSION);
            }
            return new SmsJob(in.readUTF(), in.readUTF(), in.readUTF(), SmsKind.values()[in.readByte()], in.readUTF(),
                    in.readInt(), instant(in), JobState.values()[in.readByte()], list(in), list(in), in.readUTF(),
                    in.readInt(), in.readInt(), in.readInt(), instant(in), in.readUTF(), instant(in), in.readUTF(),
                    instant(in));
        } catch (IOException e) {
            throw new IllegalArgumentException("stored job is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    private static void instant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void list(DataOutputStream out, List<String> xs) throws IOException {
        out.writeShort(xs.size());
        for (String x : xs) {
            out.writeUTF(x);
        }
    }

    private static List<String> list(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        List<String> xs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            xs.add(in.readUTF());
        }
        return xs;
    }
}
