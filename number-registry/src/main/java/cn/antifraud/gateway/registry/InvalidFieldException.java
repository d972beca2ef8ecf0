package cn.antifraud.gateway.registry;

import java.util.Objects;

/**
 * A record field with a value the registry refuses, named so that an API can answer 400 pointing at
 * the field (e.g. {@code {"error": "...", "field": "cardName"}}) rather than a generic error.
 */
public final class InvalidFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The record component at fault, e.g. {@code cardName}. */
    public String field() {
        return field;
    }
}
