package cn.antifraud.gateway.smpp;

/** A warning's subscriber cannot receive SMS: not a Chinese mobile number of the configured prefixes. */
public final class NotAMobileNumberException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public NotAMobileNumberException(String message) {
        super(message);
    }
}
