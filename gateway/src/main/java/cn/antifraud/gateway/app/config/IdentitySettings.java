package cn.antifraud.gateway.app.config;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.sip.identity.SigningSource;
import cn.antifraud.gateway.sip.identity.VerifiedCardGate.VerifyingPeer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code sip.identity} section: signing of the cards the gateway adds (RFC 8224 Identity with an
 * RFC 9795 rcd PASSporT) and verification of cards that peers marked {@code verify-identity: true}
 * send. Files were found and their contents checked by the loader.
 *
 * @param signing        where the key and certificate are; empty: branded calls go out unsigned
 * @param maxAge         how old (or how far ahead) an incoming {@code iat} may be (RFC 8224 §6.2.4)
 * @param trustAnchors   PEM bundle of CA certificates; empty when no peer verifies identity
 * @param certificates   x5u URL to the PEM chain served there (never fetched on the call path)
 * @param verifyingPeers trusted peers whose rcd PASSporTs are verified
 */
public record IdentitySettings(Optional<SigningSource> signing, Duration maxAge, Optional<Path> trustAnchors,
                               Map<URI, Path> certificates, List<VerifyingPeer> verifyingPeers) {
    public IdentitySettings {
        requireNonNull(signing, "signing");
        requireNonNull(maxAge, "maxAge");
        requireNonNull(trustAnchors, "trustAnchors");
        certificates = Map.copyOf(certificates);
        verifyingPeers = List.copyOf(verifyingPeers);
    }
}
