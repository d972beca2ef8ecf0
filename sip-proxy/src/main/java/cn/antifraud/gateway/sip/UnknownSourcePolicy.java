package cn.antifraud.gateway.sip;

/** What the proxy does with a request from an address that is no trusted peer. */
public enum UnknownSourcePolicy {
    /** Answer 403 Forbidden (RFC 3261 §21.4.4). */
    REJECT_403,
    /** Forward it as untrusted: identity and branding headers stripped (RFC 3325 §5), never branded. */
    FORWARD_UNTRUSTED
}
