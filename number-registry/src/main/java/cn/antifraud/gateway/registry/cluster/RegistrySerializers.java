package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import com.hazelcast.config.CompactSerializationConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.nio.serialization.FieldKind;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Hazelcast Compact serializers for the registry records (the fraud number, of which a member holds
 * millions, has its own byte-level {@link FraudNumberSerializer}).
 *
 * <p>Why Compact rather than Java serialization (which the records also support): a map holds its
 * values in BINARY form, and Java serialization writes the class descriptors into every value
 * (several hundred bytes for a {@link FraudNumber}); Compact writes an 8-byte schema id, so 10 million
 * fraud numbers fit the 2 GB heap target. The schemas are explicit (not reflective) because the
 * records use {@link Instant}, which zero-config Compact does not support; instants are written as
 * UTC timestamps with nanoseconds, so a record reads back equal to what was written.
 */
final class RegistrySerializers {

    private RegistrySerializers() {
    }

    /**
     * Registers every serializer on the member's serialization config: Compact for the registry
     * records, and the byte-level {@link FraudNumberSerializer} for the ten-million-entry map.
     */
    static void register(SerializationConfig serialization) {
        serialization.addSerializerConfig(new SerializerConfig()
                .setTypeClass(FraudNumber.class)
                .setImplementation(new FraudNumberSerializer()));
        CompactSerializationConfig config = serialization.getCompactSerializationConfig();
        config.addSerializer(new PhoneNumberSerializer());
        config.addSerializer(new WarningNumberSerializer());
        config.addSerializer(new FamilyContactsSerializer());
        config.addSerializer(new ContactEventSerializer());
        config.addSerializer(new LeasedEventSerializer());
    }

    /**
     * Numbers inside records are written as two fields of the parent rather than as a nested Compact
     * object: a nested object costs its own header and schema id, about 20 bytes per fraud number.
     */
    private static void writeNumber(CompactWriter out, String field, PhoneNumber n) {
        out.writeString(field, n.e164());
        out.writeString(field + "Kind", n.kind().name());
    }

    private static PhoneNumber readNumber(CompactReader in, String field) {
        return new PhoneNumber(in.readString(field), PhoneNumber.Kind.valueOf(in.readString(field + "Kind")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    static final class PhoneNumberSerializer implements CompactSerializer<PhoneNumber> {
        @Override
        public PhoneNumber read(CompactReader in) {
            return new PhoneNumber(in.readString("e164"), PhoneNumber.Kind.valueOf(in.readString("kind")));
        }

        @Override
        public void write(CompactWriter out, PhoneNumber n) {
            out.writeString("e164", n.e164());
            out.writeString("kind", n.kind().name());
        }

        @Override
        public String getTypeName() {
            return "registry.PhoneNumber";
        }

        @Override
        public Class<PhoneNumber> getCompactClass() {
            return PhoneNumber.class;
        }
    }

    static final class WarningNumberSerializer implements CompactSerializer<WarningNumber> {
        @Override
        public WarningNumber read(CompactReader in) {
            return new WarningNumber(readNumber(in, "number"), in.readString("cardName"), in.readString("callReason"),
                    in.readString("agency"), in.readString("logoUrl"), instant(in.readTimestampWithTimezone("validFrom")),
                    instant(in.readTimestampWithTimezone("validUntil")), in.readString("verifiedBy"),
                    instant(in.readTimestampWithTimezone("verifiedAt")), in.readBoolean("revoked"));
        }

        @Override
        public void write(CompactWriter out, WarningNumber w) {
            writeNumber(out, "number", w.number());
            out.writeString("cardName", w.cardName());
            out.writeString("callReason", w.callReason());
            out.writeString("agency", w.agency());
            out.writeString("logoUrl", w.logoUrl());
            out.writeTimestampWithTimezone("validFrom", utc(w.validFrom()));
            out.writeTimestampWithTimezone("validUntil", utc(w.validUntil()));
            out.writeString("verifiedBy", w.verifiedBy());
            out.writeTimestampWithTimezone("verifiedAt", utc(w.verifiedAt()));
            out.writeBoolean("revoked", w.revoked());
        }

        @Override
        public String getTypeName() {
            return "registry.WarningNumber";
        }

        @Override
        public Class<WarningNumber> getCompactClass() {
            return WarningNumber.class;
        }
    }

    static final class FamilyContactsSerializer implements CompactSerializer<FamilyContacts> {
        @Override
        public FamilyContacts read(CompactReader in) {
            PhoneNumber[] contacts = in.readArrayOfCompact("contacts", PhoneNumber.class);
            return new FamilyContacts(readNumber(in, "subscriber"), Arrays.asList(contacts), in.readBoolean("consent"),
                    instant(in.readTimestampWithTimezone("consentedAt")));
        }

        @Override
        public void write(CompactWriter out, FamilyContacts f) {
            writeNumber(out, "subscriber", f.subscriber());
            out.writeArrayOfCompact("contacts", f.contacts().toArray(new PhoneNumber[0]));
            out.writeBoolean("consent", f.consent());
            out.writeTimestampWithTimezone("consentedAt", utc(f.consentedAt()));
        }

        @Override
        public String getTypeName() {
            return "registry.FamilyContacts";
        }

        @Override
        public Class<FamilyContacts> getCompactClass() {
            return FamilyContacts.class;
        }
    }

    static final class ContactEventSerializer implements CompactSerializer<ContactEvent> {
        @Override
        public ContactEvent read(CompactReader in) {
            return new ContactEvent(in.readString("id"), readNumber(in, "subscriber"), readNumber(in, "fraudNumber"),
                    ContactEvent.Direction.valueOf(in.readString("direction")), in.readString("callId"),
                    instant(in.readTimestampWithTimezone("at")), in.readString("ingress"),
                    FraudType.valueOf(in.readString("fraudType")),
                    // Events written before tiers existed have no such field: tier 1.
                    in.getFieldKind("tier") == FieldKind.INT32 ? in.readInt32("tier") : 1);
        }

        @Override
        public void write(CompactWriter out, ContactEvent e) {
            out.writeString("id", e.id());
            writeNumber(out, "subscriber", e.subscriber());
            writeNumber(out, "fraudNumber", e.fraudNumber());
            out.writeString("direction", e.direction().name());
            out.writeString("callId", e.callId());
            out.writeTimestampWithTimezone("at", utc(e.at()));
            out.writeString("ingress", e.ingress());
            out.writeString("fraudType", e.fraudType().name());
            out.writeInt32("tier", e.tier());
        }

        @Override
        public String getTypeName() {
            return "registry.ContactEvent";
        }

        @Override
        public Class<ContactEvent> getCompactClass() {
            return ContactEvent.class;
        }
    }

    static final class LeasedEventSerializer implements CompactSerializer<LeasedContactEvent> {
        @Override
        public LeasedContactEvent read(CompactReader in) {
            return new LeasedContactEvent(in.readCompact("event"), in.readString("leasedBy"),
                    instant(in.readTimestampWithTimezone("leaseUntil")));
        }

        @Override
        public void write(CompactWriter out, LeasedContactEvent e) {
            out.writeCompact("event", e.event());
            out.writeString("leasedBy", e.leasedBy());
            out.writeTimestampWithTimezone("leaseUntil", utc(e.leaseUntil()));
        }

        @Override
        public String getTypeName() {
            return "registry.LeasedContactEvent";
        }

        @Override
        public Class<LeasedContactEvent> getCompactClass() {
            return LeasedContactEvent.class;
        }
    }
}
