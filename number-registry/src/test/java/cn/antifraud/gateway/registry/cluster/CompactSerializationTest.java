package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.WarningNumber;
import com.hazelcast.map.IMap;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry records cross real members with the Compact serializers: every field, nulls and
 * nanoseconds read back equal on the member that does not own the key, and the stored form is smaller
 * than Java serialization's (the reason for choosing Compact).
 */
class CompactSerializationTest {

    private static final Instant NANOS = Instant.parse("2026-03-04T05:06:07.123456789Z");

    private static List<RegistryMember> members;

    @BeforeAll
    static void start() {
        members = TestClusters.start(TestClusters.configs(2), new MemoryStores());
    }

    @AfterAll
    static void stop() {
        TestClusters.closeAll(members);
    }

    @Test
    void everyRecordReadsBackEqualOnTheOtherMember() {
        WarningNumber card = new WarningNumber(PhoneNumbers.parse("+86 10 9611 0000"), "国家反诈中心", "请您接听！",
                "公安部", "https://example.cn/logo.png", NANOS, NANOS.plusSeconds(86400), "op", NANOS, true);
        FraudNumber fraud = new FraudNumber(PhoneNumbers.parse("008613800138000"), FraudType.ROMANCE, "CASE-9",
                NANOS, NANOS.plusSeconds(1), true);
        FamilyContacts family = new FamilyContacts(PhoneNumbers.parse("13800138000"),
                List.of(PhoneNumbers.parse("13900139000"), PhoneNumbers.parse("010-12345678")), false, null);

        for (int i = 0; i < 20; i++) {
            String key = "k" + i; // twenty keys, so both members own some
            roundTrip(members.get(0).durableMap("durable.serialization-card"), members.get(1), "durable.serialization-card", key, card);
            roundTrip(members.get(0).durableMap("durable.serialization-fraud"), members.get(1), "durable.serialization-fraud", key, fraud);
            roundTrip(members.get(0).durableMap("durable.serialization-family"), members.get(1), "durable.serialization-family", key, family);
        }
        ContactEvent event = new ContactEvent("e1", PhoneNumbers.parse("13800138000"), PhoneNumbers.parse("17000000000"),
                ContactEvent.Direction.SUBSCRIBER_TO_FRAUD, "abc@host", NANOS, "trunk", FraudType.FAKE_LOAN);
        roundTrip(members.get(0).durableMap("durable.serialization-event"), members.get(1), "durable.serialization-event", "e1",
                LeasedContactEvent.unclaimed(event));
    }

    @Test
    void fraudNumbersWithEveryTypeKindAndExpiryReadBackEqual() {
        List<PhoneNumber> numbers = List.of(PhoneNumbers.parse("13800138000"), PhoneNumbers.parse("010-12345678"),
                PhoneNumbers.parse("12381"), PhoneNumbers.parse("+44 20 7946 0958"),
                new PhoneNumber("not-e164", PhoneNumber.Kind.INTERNATIONAL));
        Instant beforeEpoch = Instant.parse("1969-12-31T23:59:59.999999Z");
        int i = 0;
        for (FraudType type : FraudType.values()) {
            for (PhoneNumber number : numbers) {
                Instant expires = i % 2 == 0 ? null : NANOS.plusSeconds(i);
                FraudNumber fraud = new FraudNumber(number, type, "CASE-" + i, i % 3 == 0 ? beforeEpoch : NANOS,
                        expires, i % 2 == 0);
                String key = "tight" + i++;
                roundTrip(members.get(0).durableMap("durable.serialization-tight"), members.get(1),
                        "durable.serialization-tight", key, fraud);
            }
        }
    }

    @Test
    void fraudNumberEntryIsSmallerThanItsJavaSerialization() throws IOException {
        FraudNumber fraud = Records.fraud("13800138000");
        IMap<Long, FraudNumber> map = members.get(0).fraudNumbers();
        Long key = RegistryMember.fraudNumberKey(fraud.number());
        map.put(key, fraud);
        assertEquals(fraud, members.get(1).fraudNumbers().get(key), "read back on the other member");
        long compact = map.getEntryView(key).getCost();
        ByteArrayOutputStream java = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(java)) {
            out.writeObject(fraud);
        }
        assertTrue(compact < java.size(), "entry cost " + compact + " B < Java serialization alone "
                + java.size() + " B");
    }

    private static <V> void roundTrip(IMap<String, V> on, RegistryMember other, String mapName, String key, V value) {
        on.put(key, value);
        IMap<String, V> there = other.durableMap(mapName);
        assertEquals(value, there.get(key), mapName + "[" + key + "] on the other member");
    }
}
