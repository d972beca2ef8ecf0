package cn.antifraud.gateway.sip;

/** What the proxy does with a call to or from a listed fraud number. */
public enum FraudAction {
    /** Forward the call and publish a contact event, which leads to warning SMS. */
    WARN,
    /** Answer 608 Rejected (RFC 8688 §3.1) instead of forwarding. */
    REJECT_608
}
