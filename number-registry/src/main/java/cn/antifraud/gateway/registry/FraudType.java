package cn.antifraud.gateway.registry;

import java.util.Locale;

/**
 * The ten common fraud types of the 2023 national anti-fraud handbook (防范电信网络诈骗宣传手册).
 * Each has its own warning wording; the API and config files name them by {@link #code()}.
 */
public enum FraudType {
    BRUSHING_REBATE("刷单返利"),
    FAKE_INVESTMENT("虚假网络投资理财"),
    FAKE_LOAN("虚假网络贷款"),
    FAKE_CUSTOMER_SERVICE("冒充电商物流客服"),
    IMPERSONATING_AUTHORITIES("冒充公检法"),
    FAKE_CREDIT_REPAIR("虚假征信"),
    FAKE_SHOPPING("虚假购物服务"),
    IMPERSONATING_ACQUAINTANCE("冒充领导熟人"),
    FAKE_GAME_TRADING("网络游戏产品虚假交易"),
    ROMANCE("婚恋交友");

    private final String chineseName;

    FraudType(String chineseName) {
        this.chineseName = chineseName;
    }

    /** The handbook's name, e.g. 冒充公检法. */
    public String chineseName() {
        return chineseName;
    }

    /** The code used in the API and config files, e.g. {@code impersonating_authorities}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Accepts the code (any case) or the Chinese name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static FraudType parse(String s) {
        if (s != null) {
            for (FraudType t : values()) {
                if (t.name().equalsIgnoreCase(s.trim()) || t.chineseName.equals(s.trim())) {
                    return t;
                }
            }
        }
        StringBuilder accepted = new StringBuilder();
        for (FraudType t : values()) {
            accepted.append(accepted.length() == 0 ? "" : ", ").append(t.code());
        }
        throw new IllegalArgumentException("unknown fraud type '" + s + "'; one of: " + accepted);
    }
}
