package cn.antifraud.gateway.sip.identity;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where the signing key and certificate live: either a PEM key file (PKCS#8) and a PEM certificate
 * chain file, or a PKCS#12 keystore whose password is read from an environment variable (never
 * from the config file, never logged). {@link #load()} reads the files afresh each time.
 *
 * @param keyFile         PEM PKCS#8 EC private key; null when {@code keystore} is used
 * @param certificateFile PEM chain, leaf first; null when {@code keystore} is used
 * @param keystore        PKCS#12 file holding one key entry; null when PEM files are used
 * @param passwordEnv     name of the environment variable holding the keystore password
 * @param x5u             URL where the chain is published (the admin API's {@code /identity/cert.pem})
 */
public record SigningSource(Path keyFile, Path certificateFile, Path keystore, String passwordEnv, URI x5u) {
    public SigningSource {
        Objects.requireNonNull(x5u, "x5u");
        if ((keystore == null) == (keyFile == null || certificateFile == null)) {
            throw new IllegalArgumentException("either key-file and certificate-file, or keystore, is required");
        }
        if (keystore != null && (passwordEnv == null || passwordEnv.isBlank())) {
            throw new IllegalArgumentException("a keystore needs password-env");
        }
    }

    public static SigningSource pem(Path keyFile, Path certificateFile, URI x5u) {
        return new SigningSource(keyFile, certificateFile, null, null, x5u);
    }

    public static SigningSource pkcs12(Path keystore, String passwordEnv, URI x5u) {
        return new SigningSource(null, null, keystore, passwordEnv, x5u);
    }

    /** Reads and checks the material now, with the process environment. */
    public SigningMaterial load() throws IdentityException {
        return load(System::getenv);
    }

    /** Reads and checks the material now; {@code env} looks up the keystore password variable. */
    public SigningMaterial load(Function<String, String> env) throws IdentityException {
        if (keystore == null) {
            return new SigningMaterial(PemFiles.ecPrivateKey(keyFile), PemFiles.certificates(certificateFile), x5u,
                    keyFile + " + " + certificateFile);
        }
        String password = env.apply(passwordEnv);
        if (password == null) {
            throw new IdentityException(keystore + ": environment variable " + passwordEnv + " is not set");
        }
        char[] pw = password.toCharArray();
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) {
                    continue;
                }
                Key key = ks.getKey(alias, pw);
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : ks.getCertificateChain(alias)) {
                    chain.add((X509Certificate) c);
                }
                return new SigningMaterial((java.security.PrivateKey) key, chain, x5u, keystore + " entry " + alias);
            }
            throw new IdentityException(keystore + ": no private key entry");
        } catch (IOException e) {
            // A wrong password shows up as an IOException from load(); the password itself is not in the message.
            throw new IdentityException(keystore + ": cannot read (missing file or wrong password from " + passwordEnv + ")", e);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IdentityException(keystore + ": not a usable PKCS#12 keystore: " + e.getClass().getSimpleName(), e);
        } finally {
            java.util.Arrays.fill(pw, '\0');
        }
    }
}
