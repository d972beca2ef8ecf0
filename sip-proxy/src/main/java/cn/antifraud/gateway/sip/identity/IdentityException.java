package cn.antifraud.gateway.sip.identity;

/**
 * Signing or verification material that cannot be used: a missing or unreadable file, a key that is
 * not an EC P-256 key, a certificate that does not match the key. The message names the file and the
 * problem, never a secret.
 */
public final class IdentityException extends Exception {
    private static final long serialVersionUID = 1L;

    public IdentityException(String message) {
        super(message);
    }

    public IdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
