package cn.antifraud.gateway.app.admin;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.InvalidPhoneNumberException;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.smpp.Quote;
import cn.antifraud.gateway.smpp.WarningRecord;
import cn.antifraud.gateway.smpp.WarningRequest;
import cn.antifraud.gateway.smpp.WarningService;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads one police instruction (预警劝阻) strictly, for {@code POST /v1/warnings} and each line of
 * {@code POST /v1/warnings:batch}: {@code subscriber} a Chinese mobile number of the configured prefixes,
 * {@code fraudType} a known code, {@code tier} 1 or 2 and required (a warning's tier decides what is sent;
 * a default would guess), {@code fraudNumber} optional, nothing else. Errors name the field and quote at most
 * {@value Quote#MAX_CHARS} characters of the bad value.
 */
final class WarningIntake {
    private WarningIntake() {
    }

    static WarningRequest parse(JsonBody body, WarningService service) {
        PhoneNumber subscriber = number(body, "subscriber", true);
        service.subscriberProblem(subscriber).ifPresent(problem -> {
            throw ApiException.badRequest("subscriber", "subscriber " + problem);
        });
        String code = body.string("fraudType");
        FraudType type;
        try {
            type = FraudType.parse(code);
        } catch (IllegalArgumentException e) {
            StringBuilder known = new StringBuilder();
            for (FraudType t : FraudType.values()) {
                known.append(known.length() == 0 ? "" : ", ").append(t.code());
            }
            throw ApiException.badRequest("fraudType", "unknown fraudType '" + Quote.limit(code) + "'; one of: " + known);
        }
        int tier = body.integer("tier").orElseThrow(() -> ApiException.badRequest("tier",
                "tier is required: 1 (SMS) or 2 (flash SMS and family contacts)"));
        if (tier != 1 && tier != 2) {
            throw ApiException.badRequest("tier", "tier must be 1 (SMS) or 2 (flash SMS and family contacts), got " + tier);
        }
        PhoneNumber fraudNumber = number(body, "fraudNumber", false);
        body.finish();
        return new WarningRequest(subscriber, type, tier, fraudNumber, WarningRequest.Source.POLICE);
    }

    /** The 202 body: the warning's id, its jobs, and the earlier warning it repeats if any. */
    static ObjectNode accepted(WarningRecord record) {
        ObjectNode n = Json.object().put("id", record.id());
        if (!record.duplicateOf().isEmpty()) {
            n.put("duplicateOf", record.duplicateOf());
        }
        n.putArray("jobs").addAll(record.jobIds().stream().map(id -> Json.MAPPER.getNodeFactory().textNode(id)).toList());
        return n;
    }

    private static PhoneNumber number(JsonBody body, String field, boolean required) {
        String text = required ? body.string(field) : body.optionalString(field).orElse(null);
        if (text == null) {
            return null;
        }
        try {
            return PhoneNumbers.parse(text);
        } catch (InvalidPhoneNumberException e) {
            String reason = e.getMessage().substring(Math.min(e.getMessage().length(),
                    ("invalid phone number '" + text + "': ").length()));
            throw ApiException.badRequest(field, field + " '" + Quote.limit(text) + "' is not a phone number: " + reason);
        }
    }
}
