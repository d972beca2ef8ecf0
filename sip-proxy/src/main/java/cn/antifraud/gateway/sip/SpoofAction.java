package cn.antifraud.gateway.sip;

/** What the proxy does when an untrusted request claims a registered warning number. */
public enum SpoofAction {
    /** Forward without card, P-Asserted-Identity or Rich Call Data. */
    FORWARD_UNBRANDED,
    /** Answer 608 Rejected (RFC 8688 §3.1). */
    REJECT_608
}
