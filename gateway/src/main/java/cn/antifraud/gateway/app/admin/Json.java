package cn.antifraud.gateway.app.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;

/** The API's one JSON mapper and small helpers; instants are ISO-8601 strings. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * Parses a request body that must be a JSON object.
     *
     * @throws ApiException 400 when it is not
     */
    static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest(null, "a JSON object body is required");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest(null, "body is not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest(null, "body must be a JSON object");
        }
        return (ObjectNode) n;
    }

    /** Embeds a stored JSON text (audit before/after) as a tree; null stays null. */
    static JsonNode raw(String json) {
        if (json == null) {
            return MAPPER.nullNode();
        }
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            return MAPPER.getNodeFactory().textNode(json);
        }
    }

    static String instant(Instant i) {
        return i == null ? null : i.toString();
    }
}
