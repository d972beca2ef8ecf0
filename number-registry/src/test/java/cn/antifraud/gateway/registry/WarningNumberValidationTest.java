package cn.antifraud.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 10: the admin API took control characters in card names and call reasons, and they reached the wire raw. */
class WarningNumberValidationTest {
    private static final Instant T = Instant.parse("2026-11-22T08:00:00Z");

    private static WarningNumber card(String name, String reason, String agency) {
        return new WarningNumber(PhoneNumbers.parse("+8612381"), name, reason, agency, null, T, null, "auditor", T, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0001", "\u001b[31m", "\u0007", "\r\n", "\t", "\u007f", "\u0085", "\u202e"})
    void controlCharactersAreRefusedNamingTheField(String bad) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> card("国家反诈" + bad + "中心", "请接听", "公安部"));
        assertEquals("cardName", e.field());
        assertTrue(e.getMessage().startsWith("cardName must not contain control characters"), e.getMessage());
        assertEquals("callReason", assertThrows(InvalidFieldException.class, () -> card("国家反诈中心", "请" + bad, "公安部")).field());
        assertEquals("agency", assertThrows(InvalidFieldException.class, () -> card("国家反诈中心", "请接听", bad + "公安部")).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"国家反诈中心", "Anti-Fraud \"Centre\" (24h)", "反诈·中心 96110", "\u200d反诈"})
    void printableNamesAreAccepted(String name) {
        assertEquals(name, card(name, "请接听", "公安部").cardName());
    }
}
