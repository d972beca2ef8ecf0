package cn.antifraud.gateway.app.admin;

import cn.antifraud.gateway.registry.InvalidPhoneNumberException;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.smpp.Quote;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON request body read field by field: each getter names its field in the 400 it throws, and
 * {@link #finish()} rejects fields nobody asked for (a misspelt {@code validUtil} must not be ignored).
 */
final class JsonBody {
    private final ObjectNode node;
    private final Set<String> asked = new LinkedHashSet<>();

    JsonBody(byte[] body) {
        this.node = Json.parseObject(body);
    }

    private Optional<JsonNode> field(String name) {
        asked.add(name);
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    Optional<String> optionalString(String name) {
        return field(name).map(v -> {
            if (!v.isTextual()) {
                throw ApiException.badRequest(name, name + " must be a string");
            }
            return v.asText();
        });
    }

    String string(String name) {
        String s = optionalString(name).orElseThrow(() -> ApiException.badRequest(name, name + " is required"));
        if (s.isBlank()) {
            throw ApiException.badRequest(name, name + " must not be empty");
        }
        return s;
    }

    /** A required string of at most {@code max} characters (the column's size): longer is a 400 naming the field. */
    String string(String name, int max) {
        return checkLength(name, string(name), max);
    }

    /** An optional string of at most {@code max} characters. */
    Optional<String> optionalString(String name, int max) {
        return optionalString(name).map(s -> checkLength(name, s, max));
    }

    private static String checkLength(String name, String s, int max) {
        // UTF-16 units: never fewer than the characters H2 or PostgreSQL count against VARCHAR(max).
        if (s.length() > max) {
            throw ApiException.badRequest(name, name + " must be at most " + max + " characters, got " + s.length());
        }
        return s;
    }

    Optional<Instant> instant(String name) {
        return optionalString(name).map(s -> {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest(name, name + " must be an ISO-8601 instant like 2026-01-01T00:00:00Z, got '" + Quote.limit(s) + "'");
            }
        });
    }

    Optional<Boolean> bool(String name) {
        return field(name).map(v -> {
            if (!v.isBoolean()) {
                throw ApiException.badRequest(name, name + " must be true or false");
            }
            return v.asBoolean();
        });
    }

    Optional<Integer> integer(String name) {
        return field(name).map(v -> {
            if (!v.isInt()) {
                throw ApiException.badRequest(name, name + " must be a whole number");
            }
            return v.asInt();
        });
    }

    Optional<PhoneNumber> phoneNumber(String name) {
        return optionalString(name).map(s -> parseNumber(name, s));
    }

    /** A list of numbers; each error names its element ({@code contacts[2]}). */
    List<PhoneNumber> phoneNumbers(String name) {
        JsonNode v = field(name).orElseThrow(() -> ApiException.badRequest(name, name + " is required"));
        if (!v.isArray()) {
            throw ApiException.badRequest(name, name + " must be a list of numbers");
        }
        List<PhoneNumber> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String field = name + "[" + i + "]";
            if (!item.isTextual()) {
                throw ApiException.badRequest(field, field + " must be a string");
            }
            out.add(parseNumber(field, item.asText()));
        }
        return out;
    }

    static PhoneNumber parseNumber(String field, String s) {
        try {
            return PhoneNumbers.parse(s);
        } catch (InvalidPhoneNumberException e) {
            throw ApiException.badRequest(field, e.getMessage());
        }
    }

    void finish() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!asked.contains(name)) {
                String quoted = Quote.limit(name);
                throw ApiException.badRequest(quoted, "unknown field '" + quoted + "'; known: " + String.join(", ", asked));
            }
        }
    }
}
