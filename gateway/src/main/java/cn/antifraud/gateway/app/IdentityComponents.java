package cn.antifraud.gateway.app;

import cn.antifraud.gateway.app.config.IdentitySettings;
import cn.antifraud.gateway.sip.identity.IdentityException;
import cn.antifraud.gateway.sip.identity.IdentityMetrics;
import cn.antifraud.gateway.sip.identity.IdentityVerifier;
import cn.antifraud.gateway.sip.identity.KnownCertificates;
import cn.antifraud.gateway.sip.identity.SigningMaterialHolder;
import cn.antifraud.gateway.sip.identity.VerifiedCardGate;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;

/**
 * The identity parts the gateway runs, made from {@code sip.identity}: the signing key holder (its
 * {@link SigningMaterialHolder#reload()} is what SIGHUP should call) and the gate that verifies
 * peers' rcd PASSporTs. Files were checked by the config loader; a failure here (a file changed in
 * between) stops startup with the file and the problem.
 *
 * @param signing  empty when {@code sip.identity.signing} is absent
 * @param verifier empty when no trusted peer has {@code verify-identity: true}
 */
record IdentityComponents(Optional<SigningMaterialHolder> signing, Optional<VerifiedCardGate> verifier) {

    static IdentityComponents start(IdentitySettings settings, MeterRegistry meters, Clock clock) {
        try {
            Optional<SigningMaterialHolder> signing = settings.signing().isPresent()
                    ? Optional.of(SigningMaterialHolder.load(settings.signing().get())) : Optional.empty();
            Optional<VerifiedCardGate> gate = Optional.empty();
            if (!settings.verifyingPeers().isEmpty()) {
                KnownCertificates known = KnownCertificates.load(settings.trustAnchors().orElseThrow(), settings.certificates());
                gate = Optional.of(new VerifiedCardGate(new IdentityVerifier(known, settings.maxAge()),
                        settings.verifyingPeers(), new IdentityMetrics(meters), clock));
            }
            return new IdentityComponents(signing, gate);
        } catch (IdentityException e) {
            throw new IllegalStateException("sip.identity: " + e.getMessage(), e);
        }
    }
}
