package cn.antifraud.gateway.app.auth;

/** One kind of admin API operation; {@link Role} says who may do it. */
public enum Permission {
    READ,
    WRITE_FRAUD_NUMBERS,
    WRITE_FAMILY_CONTACTS,
    WRITE_WARNING_NUMBERS,
    SEND_WARNINGS,
    READ_AUDIT
}
