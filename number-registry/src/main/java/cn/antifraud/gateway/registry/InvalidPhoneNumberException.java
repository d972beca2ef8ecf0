package cn.antifraud.gateway.registry;

/**
 * Thrown by {@link PhoneNumbers#parse(String)} for input that is not a dialable number. The message
 * says what is wrong with the input ("has 10 digits, a mobile number has 11") so that it can be
 * returned as-is in an API error or a config error.
 */
public final class InvalidPhoneNumberException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String input;

    public InvalidPhoneNumberException(String input, String reason) {
        super("invalid phone number '" + input + "': " + reason);
        this.input = input;
    }

    /** The input as given. */
    public String input() {
        return input;
    }
}
