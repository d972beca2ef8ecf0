package cn.antifraud.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiptIdFormatTest {

    @Test
    void asIsKeepsTheIdAndOnlyCanonicalisesItsSpelling() {
        assertEquals(Optional.of("1a2b"), ReceiptIdFormat.AS_IS.receiptKeyOf("001A2B"));
        assertEquals(Optional.of("12345"), ReceiptIdFormat.AS_IS.receiptKeyOf(" 0000012345 "));
        assertEquals(Optional.of("msg-7f"), ReceiptIdFormat.AS_IS.receiptKeyOf("MSG-7F"));
        assertEquals(Optional.of("0"), ReceiptIdFormat.AS_IS.receiptKeyOf("000"));
    }

    @Test
    void hexToDecimalGivesTheDecimalSpellingTheReceiptWillCarry() {
        assertEquals(Optional.of("6699"), ReceiptIdFormat.HEX_TO_DECIMAL.receiptKeyOf("00001A2B"));
        assertEquals(Optional.of("16"), ReceiptIdFormat.HEX_TO_DECIMAL.receiptKeyOf("10"));
        assertEquals(Optional.of("340282366920938463463374607431768211455"),
                ReceiptIdFormat.HEX_TO_DECIMAL.receiptKeyOf("ffffffffffffffffffffffffffffffff"));
    }

    @Test
    void decimalToHexGivesTheHexSpellingTheReceiptWillCarry() {
        assertEquals(Optional.of("1a2b"), ReceiptIdFormat.DECIMAL_TO_HEX.receiptKeyOf("6699"));
        assertEquals(Optional.of("a"), ReceiptIdFormat.DECIMAL_TO_HEX.receiptKeyOf("10"));
    }

    @Test
    void anIdThatIsNotANumberOfTheConfiguredBaseHasNoReceiptKey() {
        assertEquals(Optional.empty(), ReceiptIdFormat.HEX_TO_DECIMAL.receiptKeyOf("msg-1"));
        assertEquals(Optional.empty(), ReceiptIdFormat.DECIMAL_TO_HEX.receiptKeyOf("1a"));
        assertEquals(Optional.empty(), ReceiptIdFormat.AS_IS.receiptKeyOf("  "));
        assertEquals(Optional.empty(), ReceiptIdFormat.DECIMAL_TO_HEX.receiptKeyOf("9".repeat(81)));
    }

    @Test
    void theConfigNameIsTheKebabCaseOfTheConstant() {
        assertEquals("hex-to-decimal", ReceiptIdFormat.HEX_TO_DECIMAL.configName());
        assertEquals("as-is", ReceiptIdFormat.AS_IS.configName());
    }
}
