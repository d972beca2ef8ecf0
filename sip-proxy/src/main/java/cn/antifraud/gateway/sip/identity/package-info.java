/**
 * Signed caller cards: the gateway's side of STIR for Rich Call Data.
 *
 * <p>When the proxy brands a call it adds an {@code Identity} header field (RFC 8224 §4) carrying a
 * PASSporT (RFC 8225) of extension type {@code rcd} (RFC 9795): {@code orig}, {@code dest} and
 * {@code iat} (RFC 8225 §5), the {@code rcd} claim with {@code nam} (the card name) and {@code jcl}
 * (the jCard URL of the RFC 9796 Call-Info), the {@code rcdi} claim with the SHA-256 digest of the
 * jCard that URL serves (RFC 9795 integrity), and the {@code crn} claim with the call reason.
 * {@link cn.antifraud.gateway.sip.identity.IdentitySigner} makes it; the key and certificate come from
 * {@link cn.antifraud.gateway.sip.identity.SigningMaterialHolder}, which re-reads its files on
 * {@code reload()}.
 *
 * <p>On ingress, {@link cn.antifraud.gateway.sip.identity.IdentityVerifier} checks such a PASSporT
 * (signature, certificate chain against configured trust anchors, {@code iat} freshness, orig/dest
 * against the call, {@code nam} and {@code crn} against the card the INVITE shows) and says why when
 * it refuses. Certificates named by {@code x5u} are never fetched on the call path: they resolve
 * against certificates configured per URL ({@link cn.antifraud.gateway.sip.identity.KnownCertificates}).
 *
 * <p>JWS (RFC 7515) and ES256 (RFC 7518 §3.4) come from nimbus-jose-jwt; X.509 and PKIX from the JDK.
 */
package cn.antifraud.gateway.sip.identity;
