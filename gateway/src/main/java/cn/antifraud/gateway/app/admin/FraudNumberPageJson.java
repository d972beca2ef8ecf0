package cn.antifraud.gateway.app.admin;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.Page;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A page of fraud numbers as the JSON body of {@code GET /v1/fraud-numbers}, written field by field
 * with a streaming {@link JsonGenerator} instead of a tree of {@code ObjectNode}s: the same document as
 * {@link Views#fraudNumber} in a {@link Views#page}, with a fraction of the garbage (no node, map entry
 * or formatted-instant string per field). A page of 1,000 is the heaviest request a reader can make
 * repeatedly, and its garbage is what the young collections that paused {@code /health} were made of
 * (issue 13, measured with JFR allocation samples: docs/registry-benchmarks.md).
 */
final class FraudNumberPageJson {
    /** About what one row takes; the buffer grows if a page needs more. */
    private static final int BYTES_PER_ROW = 260;

    private FraudNumberPageJson() {
    }

    static byte[] write(Page<FraudNumber> page, Instant now) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + BYTES_PER_ROW * page.items().size());
        char[] instant = new char[IsoInstants.MAX_CHARS];
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("items");
            for (FraudNumber f : page.items()) {
                g.writeStartObject();
                g.writeStringField("number", f.number().e164());
                g.writeStringField("fraudType", f.fraudType().code());
                g.writeStringField("fraudTypeName", f.fraudType().chineseName());
                g.writeStringField("caseReference", f.caseReference());
                writeInstant(g, "added", f.added(), instant);
                writeInstant(g, "expires", f.expires(), instant);
                g.writeBooleanField("rejectCalls", f.rejectCalls());
                g.writeBooleanField("active", f.activeAt(now));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("nextCursor", Cursors.encode(page.nextCursor()));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static void writeInstant(JsonGenerator g, String field, Instant value, char[] buffer) throws IOException {
        g.writeFieldName(field);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(buffer, 0, IsoInstants.write(value, buffer));
        }
    }
}
