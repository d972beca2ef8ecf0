package cn.antifraud.gateway.sip;

/**
 * What the proxy does with an INVITE it did not brand whose From or P-Asserted-Identity display name
 * imitates a protected name (a card name, an agency, a configured term), and with an untrusted INVITE
 * that claims a registered warning number. Either way the call never carries a card we did not add.
 */
public enum SpoofAction {
    /** Forward with the imitating display names removed ({@code <sip:...>} only). */
    STRIP_NAME,
    /** Forward with each imitating display name replaced by the number of its own URI (removed when there is none). */
    NUMBER_AS_NAME,
    /** Answer 608 Rejected (RFC 8688 §3.1) to an initial INVITE; an in-dialog INVITE has its names removed. */
    REJECT_608
}
