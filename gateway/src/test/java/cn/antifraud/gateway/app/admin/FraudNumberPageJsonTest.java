package cn.antifraud.gateway.app.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.PhoneNumbers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streamed fraud-number page is the same document as the tree it replaced; its instants are {@code Instant.toString}'s. */
class FraudNumberPageJsonTest {

    @Test
    void instantsAreWrittenAsInstantToStringWrites() {
        Random random = new Random(13);
        char[] buffer = new char[IsoInstants.MAX_CHARS];
        List<Instant> cases = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.parse("2000-02-29T12:00:00Z"), Instant.parse("2100-03-01T00:00:00.100Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.000001Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"), Instant.MIN, Instant.MAX));
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-70_000_000_000L, 260_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            cases.add(Instant.ofEpochSecond(seconds, nanos));
        }
        for (Instant i : cases) {
            assertEquals(i.toString(), new String(buffer, 0, IsoInstants.write(i, buffer)));
        }
    }

    @Test
    void aPageIsTheDocumentTheTreeViewsWrite() {
        Instant now = Instant.parse("2026-12-02T03:00:00Z");
        List<FraudNumber> items = new ArrayList<>();
        FraudType[] types = FraudType.values();
        for (int i = 0; i < 50; i++) {
            Instant expires = i % 3 == 0 ? null : now.plusSeconds(3600L * (i - 25)).plusNanos(i * 1_000L);
            items.add(new FraudNumber(PhoneNumbers.parse("+861700000" + String.format("%04d", i)), types[i % types.length],
                    i % 5 == 0 ? "案件 \"A\\B\" " + i + " \u0001" : "BENCH-" + i, now.minusSeconds(i * 86_401L), expires, i % 2 == 0));
        }
        for (String cursor : new String[] {"+8617000000049", null}) {
            Page<FraudNumber> page = new Page<>(items, cursor);
            String tree = new String(Json.bytes(Views.page(page, f -> Views.fraudNumber(f, now))), StandardCharsets.UTF_8);
            String streamed = new String(FraudNumberPageJson.write(page, now), StandardCharsets.UTF_8);
            assertEquals(tree, streamed);
        }
        assertEquals("{\"items\":[],\"nextCursor\":null}",
                new String(FraudNumberPageJson.write(new Page<>(List.of(), null), now), StandardCharsets.UTF_8));
    }
}
