package cn.antifraud.gateway.registry.bench;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import java.time.Instant;

/** Realistic records: an 11-digit mobile, a case reference of a police case's length, a handbook type. */
final class BenchRecords {

    static final Instant ADDED = Instant.parse("2026-06-01T08:00:00Z");
    private static final FraudType[] TYPES = FraudType.values();

    private BenchRecords() {
    }

    /** The i-th mobile number of the 170 block: +8617000000000 + i. */
    static PhoneNumber mobile(long i) {
        return new PhoneNumber("+86" + (17_000_000_000L + i), PhoneNumber.Kind.MOBILE);
    }

    static FraudNumber fraud(long i) {
        return new FraudNumber(mobile(i), TYPES[(int) (i % TYPES.length)], "A2026-110101-" + i, ADDED, null, false);
    }

    static WarningNumber card(PhoneNumber number) {
        return new WarningNumber(number, "国家反诈中心", "用户您好，该电话来自于国家反诈部门，请您接听！", "公安部刑事侦查局",
                null, ADDED, null, "bench", ADDED, false);
    }
}
