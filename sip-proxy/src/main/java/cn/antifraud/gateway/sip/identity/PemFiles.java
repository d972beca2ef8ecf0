package cn.antifraud.gateway.sip.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM files (RFC 7468) with the JDK alone: certificates through {@link CertificateFactory}
 * (which accepts a PEM bundle), an unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY},
 * RFC 7468 §10) through {@link KeyFactory}.
 */
final class PemFiles {
    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";

    private PemFiles() {
    }

    /** Every certificate in the file, in file order (a chain is leaf first). */
    static List<X509Certificate> certificates(Path file) throws IdentityException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IdentityException(file + ": no PEM certificate in the file");
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new IdentityException(file + ": cannot read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IdentityException(file + ": not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    /** The EC private key of a PKCS#8 PEM file. */
    static PrivateKey ecPrivateKey(Path file) throws IdentityException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IdentityException(file + ": cannot read: " + e.getMessage(), e);
        }
        int begin = text.indexOf(KEY_BEGIN);
        int end = text.indexOf(KEY_END);
        if (begin < 0 || end < begin) {
            // A SEC1 "EC PRIVATE KEY" or an encrypted key is refused with the command that converts it.
            throw new IdentityException(file + ": expected an unencrypted PKCS#8 key (BEGIN PRIVATE KEY);"
                    + " convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + KEY_BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IdentityException(file + ": the key's base64 is damaged");
        }
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            // The JDK's message may quote key bytes: it is not passed on.
            throw new IdentityException(file + ": not a PKCS#8 EC private key");
        }
    }
}
