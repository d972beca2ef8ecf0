package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;

/**
 * Stable one-byte codes for the enums written into large map values. The codes are listed here
 * rather than taken from {@code ordinal()} so that reordering an enum's constants in the source can
 * never change what a stored code means to a member running another build.
 */
final class ByteCodes {
    private static final FraudType[] FRAUD_TYPES = {
        FraudType.BRUSHING_REBATE, FraudType.FAKE_INVESTMENT, FraudType.FAKE_LOAN,
        FraudType.FAKE_CUSTOMER_SERVICE, FraudType.IMPERSONATING_AUTHORITIES, FraudType.FAKE_CREDIT_REPAIR,
        FraudType.FAKE_SHOPPING, FraudType.IMPERSONATING_ACQUAINTANCE, FraudType.FAKE_GAME_TRADING,
        FraudType.ROMANCE,
    };
    private static final PhoneNumber.Kind[] KINDS = {
        PhoneNumber.Kind.MOBILE, PhoneNumber.Kind.LANDLINE, PhoneNumber.Kind.SHORT_CODE,
        PhoneNumber.Kind.INTERNATIONAL,
    };

    private ByteCodes() {
    }

    static byte code(FraudType type) {
        return indexOf(FRAUD_TYPES, type);
    }

    static FraudType fraudType(byte code) {
        return valueAt(FRAUD_TYPES, code, "fraud type");
    }

    static byte code(PhoneNumber.Kind kind) {
        return indexOf(KINDS, kind);
    }

    static PhoneNumber.Kind kind(byte code) {
        return valueAt(KINDS, code, "number kind");
    }

    private static <E> byte indexOf(E[] values, E value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return (byte) i;
            }
        }
        throw new IllegalStateException("no byte code for " + value + "; add it to ByteCodes");
    }

    private static <E> E valueAt(E[] values, byte code, String what) {
        if (code < 0 || code >= values.length) {
            throw new IllegalArgumentException("unknown " + what + " code " + code);
        }
        return values[code];
    }
}
