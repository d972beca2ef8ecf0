package cn.antifraud.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Table-driven test of the one normaliser: every notation of issue 2 (API, config files, SIP and tel
 * URIs per RFC 3261 §19.1 and RFC 3966, SMPP addresses), and the error each bad input gets.
 */
class PhoneNumbersTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' is {1} ({2})")
    @CsvSource(delimiter = '|', textBlock = """
            # input                                      | canonical       | kind
            +86 138 0013 8000                            | +8613800138000  | MOBILE
            008613800138000                              | +8613800138000  | MOBILE
            8613800138000                                | +8613800138000  | MOBILE
            13800138000                                  | +8613800138000  | MOBILE
            tel:+86-138-0013-8000                        | +8613800138000  | MOBILE
            sip:+8613800138000@host;user=phone           | +8613800138000  | MOBILE
            sips:+8613800138000@gw.example.cn:5061       | +8613800138000  | MOBILE
            <sip:+8613800138000@10.0.0.1;user=phone>     | +8613800138000  | MOBILE
            SIP:13800138000@host                         | +8613800138000  | MOBILE
            sip:%2B8613800138000@host                    | +8613800138000  | MOBILE
            sip:+8613800138000;isub=1@host               | +8613800138000  | MOBILE
            tel:+86.138.0013.8000;phone-context=cn       | +8613800138000  | MOBILE
            '  (138) 0013-8000 '                         | +8613800138000  | MOBILE
            013800138000                                 | +8613800138000  | MOBILE
            +86 0138 0013 8000                           | +8613800138000  | MOBILE
            １３８００１３８０００                          | +8613800138000  | MOBILE
            ＋８６　１３８　００１３　８０００                 | +8613800138000  | MOBILE
            19912345678                                  | +8619912345678  | MOBILE
            010-12345678                                 | +861012345678   | LANDLINE
            +86 10 1234 5678                             | +861012345678   | LANDLINE
            +86 010 1234 5678                            | +861012345678   | LANDLINE
            0086 10 12345678                             | +861012345678   | LANDLINE
            861012345678                                 | +861012345678   | LANDLINE
            tel:+86-10-1234-5678                         | +861012345678   | LANDLINE
            (021) 6123 4567                              | +862161234567   | LANDLINE
            0755-86001234                                | +8675586001234  | LANDLINE
            0571-8765432                                 | +865718765432   | LANDLINE
            +86 755 8600 1234                            | +8675586001234  | LANDLINE
            110                                          | +86110          | SHORT_CODE
            12381                                        | +8612381        | SHORT_CODE
            +86 12381                                    | +8612381        | SHORT_CODE
            tel:12381                                    | +8612381        | SHORT_CODE
            sip:12381@sms.example.cn                     | +8612381        | SHORT_CODE
            96110                                        | +8696110        | SHORT_CODE
            sip:96110@host;user=phone                    | +8696110        | SHORT_CODE
            95588                                        | +8695588        | SHORT_CODE
            95105888                                     | +8695105888     | SHORT_CODE
            10086                                        | +8610086        | SHORT_CODE
            +1 202 555 0143                              | +12025550143    | INTERNATIONAL
            00852 2123 4567                              | +85221234567    | INTERNATIONAL
            tel:+44-20-7946-0958                         | +442079460958   | INTERNATIONAL
            """)
    void everyNotationOfOneNumberNormalisesToItsE164(String input, String canonical, PhoneNumber.Kind kind) {
        PhoneNumber n = PhoneNumbers.parse(input);
        assertEquals(canonical, n.e164(), input);
        assertEquals(kind, n.kind(), input);
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' is rejected: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # input                  | the message says
            ''                       | has no digits
            '   '                    | has no digits
            +                        | has no digits
            tel:                     | has no digits
            1380013800               | has 10 digits; a mobile number has 11
            138001380001             | has 12 digits; a mobile number has 11
            12345678                 | a landline needs its area code
            +86 138 0013 800         | a mobile number has 11 starting 13-19
            010-1234567              | a landline is an area code
            0110                     | a short code is dialled without the trunk prefix 0
            +0 12345678              | a country code cannot start with 0
            +1 2345                  | E.164 allows 7 to 15
            +1234567890123456        | E.164 allows 7 to 15
            138-0013-800a            | contains 'a'
            sip:alice@example.cn     | contains 'a'
            13800138000#             | contains '#'
            ++8613800138000          | contains '+'
            0                        | has 0 national digits
            86                       | a landline needs its area code
            +86                      | has 0 national digits
            0086                     | has 0 national digits
            """)
    void badInputGetsAnErrorSayingWhatIsWrong(String input, String reason) {
        InvalidPhoneNumberException e = assertThrows(InvalidPhoneNumberException.class, () -> PhoneNumbers.parse(input));
        assertTrue(e.getMessage().contains(reason), "message for '" + input + "' was: " + e.getMessage());
        assertTrue(e.getMessage().contains("'" + input + "'"), "the message quotes the input: " + e.getMessage());
        assertEquals(input, e.input());
    }

    @Test
    void nullIsMissing() {
        InvalidPhoneNumberException e = assertThrows(InvalidPhoneNumberException.class, () -> PhoneNumbers.parse(null));
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
    }

    @Test
    void parseOrNullAnswersNullInsteadOfThrowing() {
        assertNull(PhoneNumbers.parseOrNull("not a number"));
        assertEquals(PhoneNumbers.parse("13800138000"), PhoneNumbers.parseOrNull("tel:+86-138-0013-8000"));
    }

    @Test
    void notationsOfOneNumberAreEqualAndShareTheirParts() {
        PhoneNumber a = PhoneNumbers.parse("+86 138 0013 8000");
        PhoneNumber b = PhoneNumbers.parse("sip:+8613800138000@host;user=phone");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("13800138000", a.national());
        assertEquals("8000", a.lastFour());
        assertEquals("12381", PhoneNumbers.parse("12381").national());
    }
}
