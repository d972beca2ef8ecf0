package cn.antifraud.gateway.sip.identity;

import cn.antifraud.gateway.sip.Cidr;
import cn.antifraud.gateway.sip.message.SipMessage;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether a card that arrived on an INVITE may stay (DESIGN: only the gateway's own branding,
 * or a card whose signature it verified, reaches a handset). Only peers configured with
 * {@code verify-identity: true} are checked; from any other source the answer is false, so the
 * card is stripped. Every check is counted with its {@link VerificationResult}.
 *
 * <p>The proxy's hook (the card check of the display-name shield) calls
 * {@link #cardVerified(SipMessage, InetAddress)} with the INVITE and the sender's address.
 */
public final class VerifiedCardGate {
    /** A peer whose rcd PASSporTs are checked. */
    public record VerifyingPeer(String name, Cidr addresses) {
        public VerifyingPeer {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(addresses, "addresses");
        }
    }

    private final IdentityVerifier verifier;
    private final List<VerifyingPeer> peers;
    private final IdentityMetrics metrics;
    private final Clock clock;

    public VerifiedCardGate(IdentityVerifier verifier, List<VerifyingPeer> peers, IdentityMetrics metrics, Clock clock) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.peers = List.copyOf(peers);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** True when {@code invite} came from a verifying peer and its rcd PASSporT verified. */
    public boolean cardVerified(SipMessage invite, InetAddress source) {
        VerifyingPeer peer = peerOf(source);
        if (peer == null) {
            return false;
        }
        VerificationResult r = verifier.verify(invite, clock.instant());
        metrics.verification(peer.name(), r);
        return r.verified();
    }

    private VerifyingPeer peerOf(InetAddress source) {
        for (VerifyingPeer p : peers) {
            if (p.addresses().contains(source)) {
                return p;
            }
        }
        return null;
    }
}
