package cn.antifraud.gateway.sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderValuesTest {

    @Test
    void asciiCaseFoldingAgreesWithStringRegionMatches() {
        for (String name : List.of("branch", "RPORT", "tag", "lr", "x-1_~", "k")) {
            for (char c = 0; c < 0x2200; c++) {
                String s = ";" + c + name.substring(1) + "=1";
                assertEquals(s.regionMatches(true, 1, name, 0, name.length()), HeaderValues.regionMatchesIgnoreCase(s, 1, name),
                        () -> name + " vs " + s);
            }
            assertEquals(false, HeaderValues.regionMatchesIgnoreCase(";" + name, 2, name), "past the end");
            assertEquals(false, HeaderValues.regionMatchesIgnoreCase(name, -1, name), "negative offset");
        }
    }

    @Test
    void limitedSplitGivesTheFirstElementsOfTheFullSplit() {
        String value = " , SIP/2.0/UDP a;branch=\"x,y\" ,, <sip:b,c>;p , last ";
        List<int[]> all = HeaderValues.split(value);
        for (int limit = 1; limit <= all.size() + 1; limit++) {
            List<int[]> first = HeaderValues.split(value, limit);
            assertEquals(Math.min(limit, all.size()), first.size());
            for (int i = 0; i < first.size(); i++) {
                assertEquals(value.substring(all.get(i)[0], all.get(i)[1]), value.substring(first.get(i)[0], first.get(i)[1]));
            }
        }
    }

    @Test
    void onePassOverParametersFindsWhatSeparateLookupsFind() {
        String[] names = {"branch", "received", "rport"};
        for (String via : List.of("SIP/2.0/UDP a;branch=z9hG4bK-1;rport;received=1.2.3.4",
                "SIP/2.0/UDP a ; RPORT = 5 ; Branch=\"q;rport=9\";branch=second;receivedX=no",
                "SIP/2.0/UDP a;x=<sip:b;branch=in>;received", "SIP/2.0/UDP a", "SIP/2.0/UDP a;rport=1;rport=2")) {
            int from = via.indexOf(';') < 0 ? via.length() : via.indexOf(';');
            String[] found = HeaderValues.params(via, from, names);
            for (int i = 0; i < names.length; i++) {
                assertEquals(HeaderValues.param(via.substring(from), names[i]), found[i], via + " " + names[i]);
            }
        }
    }

    @Test
    void aValueWithoutCommasIsOneTrimmedElementOrNone() {
        String value = " \t\"a<b\\\" <sip:x>;p=\"q\" \r\n ";
        List<int[]> one = HeaderValues.split(value);
        assertEquals(1, one.size());
        assertEquals("\"a<b\\\" <sip:x>;p=\"q\"", value.substring(one.get(0)[0], one.get(0)[1]));
        assertEquals(0, HeaderValues.split(" \t ").size());
        assertEquals(0, HeaderValues.split("").size());
    }

    @Test
    void paramFromAnOffsetReadsLikeParamOfTheSubstring() {
        String element = "<sip:a;tag=inside>;x=1;TAG=\"q;t\";tag=later";
        int close = element.indexOf('>');
        assertEquals(HeaderValues.param(element.substring(close + 1), "tag"), HeaderValues.param(element, close + 1, "tag"));
        assertEquals("q;t", HeaderValues.param(element, close + 1, "tag"));
    }
}
