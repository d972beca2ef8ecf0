package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.work.WorkCodec;
import cn.antifraud.gateway.smpp.WarningRecord;
import cn.antifraud.gateway.smpp.WarningRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The warning store's codec: a versioned, field-by-field byte array like {@link JobCodec}'s. A phone number
 * is stored with its kind, so reading it back parses nothing. The layout is {@code DataOutputStream}'s ({@link FieldBytes}). The previous release stored warnings as JSON
 * rows of {@code durable.sms-warnings}; those are read once, when the store takes the map over.
 */
final class WarningRecordCodec implements WorkCodec<WarningRecord> {
    static final WarningRecordCodec INSTANCE = new WarningRecordCodec();
    private static final byte VERSION = 1;
    /** As the previous release's durable maps wrote JSON (ISO instants, unknown fields ignored). */
    private static final ObjectMapper LEGACY = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private WarningRecordCodec() {
    }

    @Override
    public byte[] encode(WarningRecord w) {
        FieldBytes.Writer out = new FieldBytes.Writer(256);
        out.writeByte(VERSION);
        out.writeUtf(w.id());
        WarningRequest r = w.request();
        number(out, r.subscriber());
        out.writeUtf(r.fraudType().name());
        out.writeByte(r.tier());
        out.writeBoolean(r.fraudNumber() != null);
        if (r.fraudNumber() != null) {
            number(out, r.fraudNumber());
        }
        out.writeUtf(r.source().name());
        out.writeLong(w.createdAt().getEpochSecond());
        out.writeInt(w.createdAt().getNano());
        out.writeShort(w.jobIds().size());
        for (String id : w.jobIds()) {
            out.writeUtf(id);
        }
        out.writeUtf(w.duplicateOf());
        return out.toByteArray();
    }

    @Override
    public WarningRecord decode(byte[] data) {
        FieldBytes.Reader in = new FieldBytes.Reader(data);
        byte version;
        try {
            version = (byte) in.readByte();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stored warning is empty", e);
        }
        if (version != VERSION) {
            throw new IllegalArgumentException("stored warning has format version " + version + ", this node reads " + VERSION);
        }
        try {
            String id = in.readUtf();
            PhoneNumber subscriber = number(in);
            FraudType type = FraudType.valueOf(in.readUtf());
            int tier = in.readByte();
            PhoneNumber fraudNumber = in.readBoolean() ? number(in) : null;
            WarningRequest.Source source = WarningRequest.Source.valueOf(in.readUtf());
            Instant createdAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
            int n = in.readUnsignedShort();
            List<String> jobIds = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                jobIds.add(in.readUtf());
            }
            return new WarningRecord(id, new WarningRequest(subscriber, type, tier, fraudNumber, source), createdAt,
                    jobIds, in.readUtf());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("stored warning is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    @Override
    public WarningRecord decodeLegacy(String valueClass, String json) {
        try {
            return LEGACY.readValue(json, WarningRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("legacy warning does not read: " + e.getOriginalMessage(), e);
        }
    }

    private static void number(FieldBytes.Writer out, PhoneNumber n) {
        out.writeUtf(n.e164());
        out.writeByte(n.kind().ordinal());
    }

    private static PhoneNumber number(FieldBytes.Reader in) {
        return new PhoneNumber(in.readUtf(), PhoneNumber.Kind.values()[in.readUnsignedByte()]);
    }
}
