package cn.antifraud.gateway.sip;

import java.util.Locale;

/**
 * What a trusted peer is. Every trusted role is inside the RFC 3325 trust domain (its
 * P-Asserted-Identity is believed and calls from it may be branded); the role names the peer in
 * metrics and logs and tells operators why it is trusted.
 */
public enum PeerRole {
    /** A trunk from the police / anti-fraud centre network: the source of warning calls. */
    POLICE_TRUNK,
    /** An interconnect with another carrier that is inside the trust domain. */
    INTERCONNECT,
    /** The carrier's own core (soft switch, IMS S-CSCF), the usual next hop and source of replies. */
    CORE;

    /** Parses the role name in any case, naming the accepted values when it fails. */
    public static PeerRole parse(String s) {
        if (s != null) {
            for (PeerRole r : values()) {
                if (r.name().equalsIgnoreCase(s.trim())) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("unknown peer role '" + s + "'; one of: police_trunk, interconnect, core");
    }

    /** The tag value used in metrics. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
