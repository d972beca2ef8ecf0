package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.WarningNumber;
import java.time.Instant;

/**
 * Test records. Instants carry microseconds, the precision of the database columns (H2 and
 * PostgreSQL TIMESTAMP); {@link CompactSerializationTest} checks nanoseconds separately.
 */
final class Records {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456Z");

    private Records() {
    }

    static WarningNumber card(String number, String name) {
        return new WarningNumber(PhoneNumbers.parse(number), name, "用户您好，该电话来自于国家反诈部门，请您接听！",
                "公安部刑事侦查局", null, T0, null, "operator-1", T0.plusSeconds(60), false);
    }

    static FraudNumber fraud(String number) {
        return new FraudNumber(PhoneNumbers.parse(number), FraudType.FAKE_INVESTMENT, "CASE-" + number, T0, null, false);
    }
}
