package cn.antifraud.gateway.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NumberListFilesTest {
    private static final String CARD = "    card-name: 反诈中心\n    call-reason: 请接听\n    agency: 公安局\n"
            + "    verified-by: ops\n    verified-at: 2026-01-01T00:00:00Z\n";

    @TempDir
    Path dir;

    static Stream<Arguments> badLists() {
        Function<Path, Object> warnings = NumberListFiles::warningNumbers;
        Function<Path, Object> frauds = f -> NumberListFiles.fraudNumbers(f, Instant.EPOCH);
        Function<Path, Object> families = NumberListFiles::familyContacts;
        return Stream.of(
                Arguments.of("bad warning number", warnings, "warning-numbers:\n  - number: \"1234567\"\n" + CARD, 2,
                        "warning-numbers[0].number", "has 7 digits"),
                Arguments.of("warning number twice", warnings, "warning-numbers:\n  - number: \"96110\"\n" + CARD
                        + "  - number: \"+86 96110\"\n" + CARD, 8, "warning-numbers[1].number", "listed twice"),
                Arguments.of("call reason too long", warnings, "warning-numbers:\n  - number: \"96110\"\n"
                        + CARD.replace("请接听", "请".repeat(65)), 2, "warning-numbers[0]", "callReason must be 1 to 64"),
                Arguments.of("unknown warning key", warnings, "warning-numbers:\n  - number: \"96110\"\n" + CARD
                        + "    colour: red\n", 8, "warning-numbers[0].colour", "unknown key"),
                Arguments.of("bad fraud number", frauds, "number,fraud_type,case_reference\n17000000001,romance,C1\n1700000,romance,C2\n", 3,
                        "number", "invalid phone number '1700000'"),
                Arguments.of("bad fraud type", frauds, "17000000001,phishing,C1\n", 1, "fraud_type", "unknown fraud type"),
                Arguments.of("fraud number twice", frauds, "17000000001,romance,C1\n+86 170 0000 0001,romance,C2\n", 2,
                        "number", "listed twice (first on line 1)"),
                Arguments.of("bad expiry", frauds, "17000000001,romance,C1,tomorrow\n", 1, "expires", "ISO-8601"),
                Arguments.of("too many contacts", families, "family-contacts:\n  - subscriber: \"13800138000\"\n"
                        + "    contacts: [\"13900000001\",\"13900000002\",\"13900000003\",\"13900000004\",\"13900000005\",\"13900000006\"]\n"
                        + "    consent: false\n", 3, "family-contacts[0].contacts", "at most 5"),
                Arguments.of("consent without time", families, "family-contacts:\n  - subscriber: \"13800138000\"\n"
                        + "    contacts: [\"13900000001\"]\n    consent: true\n", 2, "family-contacts[0].consented-at", "is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLists")
    void aBadEntryNamesTheFileTheLineAndTheField(String name, Function<Path, Object> reader, String text, int line,
                                                  String key, String problem) throws IOException {
        Path file = dir.resolve("list.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        ConfigException e = assertThrows(ConfigException.class, () -> reader.apply(file));
        assertEquals(file.toString(), e.file());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
    }
}
