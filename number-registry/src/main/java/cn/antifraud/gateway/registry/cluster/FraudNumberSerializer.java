package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.PhoneNumber;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The in-memory form of a fraud number in the registry map: the one value of which a member holds ten
 * million (DESIGN.md: at most 2 GB of heap per member), so it is written byte by byte rather than as a
 * Compact record.
 *
 * <p>Layout after Hazelcast's 8-byte header: a flags byte ({@link #HAS_EXPIRY}, {@link #REJECT_CALLS},
 * {@link #NUMBER_AS_TEXT}), the number kind and the fraud type as int8 codes from the fixed tables of
 * {@link ByteCodes} (never {@code ordinal()}, so adding an enum constant cannot renumber stored
 * values), the number as an int64 of its E.164 digits ({@link E164Digits}), {@code added} and, when
 * set, {@code expires} as int64 microseconds since the epoch (the precision every stored instant
 * has, {@code StoredInstants}), and the case reference as UTF-8 with a varint length. A typical value
 * is 40 bytes of payload (a 64-byte array on the heap); the Compact record of the same fields took
 * 73 (an 8-byte schema id, a 4-byte data length, offsets and a 4-byte string length), and the
 * difference is 24 to 32 bytes of heap per entry once arrays are aligned to 8 bytes.
 *
 * <p>The value lives only in memory: the database row is unchanged, so a new layout needs a full
 * cluster restart (all members on the same version), never a data migration.
 */
final class FraudNumberSerializer implements StreamSerializer<FraudNumber> {

    /** Hazelcast custom serializer type id; unique among the gateway's serializers, must be positive. */
    static final int TYPE_ID = 1001;

    static final int HAS_EXPIRY = 1;
    static final int REJECT_CALLS = 1 << 1;
    static final int NUMBER_AS_TEXT = 1 << 2;

    @Override
    public int getTypeId() {
        return TYPE_ID;
    }

    @Override
    public void write(ObjectDataOutput out, FraudNumber f) throws IOException {
        long digits = E164Digits.of(f.number().e164());
        int flags = (f.expires() != null ? HAS_EXPIRY : 0)
                | (f.rejectCalls() ? REJECT_CALLS : 0)
                | (digits == E164Digits.NOT_DIGITS ? NUMBER_AS_TEXT : 0);
        out.writeByte(flags);
        out.writeByte(ByteCodes.code(f.number().kind()));
        out.writeByte(ByteCodes.code(f.fraudType()));
        if (digits == E164Digits.NOT_DIGITS) {
            out.writeString(f.number().e164());
        } else {
            out.writeLong(digits);
        }
        out.writeLong(micros(f.added()));
        if (f.expires() != null) {
            out.writeLong(micros(f.expires()));
        }
        writeShortText(out, f.caseReference());
    }

    @Override
    public FraudNumber read(ObjectDataInput in) throws IOException {
        int flags = in.readByte();
        PhoneNumber.Kind kind = ByteCodes.kind(in.readByte());
        var type = ByteCodes.fraudType(in.readByte());
        String e164 = (flags & NUMBER_AS_TEXT) != 0 ? in.readString() : E164Digits.e164(in.readLong());
        Instant added = instant(in.readLong());
        Instant expires = (flags & HAS_EXPIRY) != 0 ? instant(in.readLong()) : null;
        String caseReference = readShortText(in);
        return new FraudNumber(new PhoneNumber(e164, kind), type, caseReference, added, expires,
                (flags & REJECT_CALLS) != 0);
    }

    /** UTF-8 bytes after an unsigned LEB128 length: one length byte for any case reference under 128 bytes. */
    private static void writeShortText(ObjectDataOutput out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int length = utf8.length;
        while ((length & ~0x7F) != 0) {
            out.writeByte((length & 0x7F) | 0x80);
            length >>>= 7;
        }
        out.writeByte(length);
        out.write(utf8);
    }

    private static String readShortText(ObjectDataInput in) throws IOException {
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 28) {
                throw new UTFDataFormatException("case reference length is not a valid varint");
            }
            int b = in.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
