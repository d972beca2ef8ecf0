package cn.antifraud.gateway.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Jdbc#timestamp} builds the same UTC value as {@code OffsetDateTime.ofInstant}, cut to microseconds. */
class JdbcTimestampTest {
    @Test
    void aTimestampIsTheInstantInUtcCutToTheMicrosecond() {
        for (Instant t : List.of(Instant.EPOCH, Instant.parse("2026-12-03T06:20:01.123456789Z"),
                Instant.parse("1969-12-31T23:59:59.999999999Z"), Instant.parse("2100-02-28T23:59:59.000001Z"),
                Instant.ofEpochSecond(-62_135_596_800L, 7_000))) {
            OffsetDateTime expected = OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
            assertEquals(expected, Jdbc.timestamp(t), t.toString());
            assertEquals(t.truncatedTo(ChronoUnit.MICROS), Jdbc.timestamp(t).toInstant());
        }
        assertNull(Jdbc.timestamp(null));
    }
}
