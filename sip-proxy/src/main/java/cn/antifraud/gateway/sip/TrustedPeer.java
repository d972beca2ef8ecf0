package cn.antifraud.gateway.sip;

import java.util.Objects;

/**
 * A peer inside the trust domain (RFC 3325 §2.3): requests from its addresses keep their
 * P-Asserted-Identity and may be branded.
 *
 * @param name             name used in metrics, logs and contact events
 * @param addresses        the peer's source addresses
 * @param role             what the peer is
 * @param assertsIdentity  whether the peer vouches for the From header too, so From is used as the
 *                         caller's identity when no P-Asserted-Identity is present
 */
public record TrustedPeer(String name, Cidr addresses, PeerRole role, boolean assertsIdentity) {

    public TrustedPeer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(role, "role");
        if (name.isBlank()) {
            throw new IllegalArgumentException("trusted peer name must not be blank");
        }
    }
}
