package cn.antifraud.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records keep microseconds, the database's precision, so what a restart reloads equals what was written. */
class RecordInstantPrecisionTest {
    private static final Instant NANOS = Instant.parse("2026-11-22T09:13:14.322971970Z");
    private static final Instant MICROS = Instant.parse("2026-11-22T09:13:14.322971Z");

    @Test
    void everyRecordTruncatesItsInstantsToMicroseconds() {
        PhoneNumber police = PhoneNumbers.parse("96110");
        WarningNumber w = new WarningNumber(police, "国家反诈中心", "请您接听", "公安部", null, NANOS, NANOS.plusSeconds(1),
                "ops", NANOS, false);
        assertEquals(List.of(MICROS, MICROS.plusSeconds(1), MICROS), List.of(w.validFrom(), w.validUntil(), w.verifiedAt()));

        FraudNumber f = new FraudNumber(PhoneNumbers.parse("17000000001"), FraudType.values()[0], "case", NANOS,
                NANOS.plusSeconds(1), false);
        assertEquals(List.of(MICROS, MICROS.plusSeconds(1)), List.of(f.added(), f.expires()));

        FamilyContacts c = new FamilyContacts(PhoneNumbers.parse("13800138000"), List.of(PhoneNumbers.parse("13900139000")),
                true, NANOS);
        assertEquals(MICROS, c.consentedAt());
    }

    @Test
    void openEndedInstantsStayNull() {
        FraudNumber f = new FraudNumber(PhoneNumbers.parse("17000000001"), FraudType.values()[0], "case", MICROS, null, false);
        assertEquals(null, f.expires());
    }
}
