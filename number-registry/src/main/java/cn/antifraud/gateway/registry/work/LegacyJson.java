package cn.antifraud.gateway.registry.work;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads fields of the JSON rows written by the {@code durable.*} maps before work stores. */
public final class LegacyJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LegacyJson() {
    }

    /** The field {@code name} of the JSON object {@code json}. */
    public static JsonNode field(String json, String name) {
        try {
            JsonNode node = JSON.readTree(json).get(name);
            if (node == null || node.isNull()) {
                throw new IllegalArgumentException("legacy row has no field '" + name + "'");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("legacy row is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
