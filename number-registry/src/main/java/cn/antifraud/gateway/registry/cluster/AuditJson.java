package cn.antifraud.gateway.registry.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Renders registry records as the JSON kept in audit records' before and after (ISO-8601 instants). */
final class AuditJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private AuditJson() {
    }

    /** JSON of {@code record}, or null for null (no record before a create, none after a delete). */
    static String of(Object record) {
        if (record == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + record.getClass().getSimpleName() + " as audit JSON", e);
        }
    }
}
