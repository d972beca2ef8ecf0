package cn.antifraud.gateway.sip.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.WarningNumber;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The per-card cached claims spliced with the per-call ones give exactly the canonical claims JSON. */
class RcdClaimsTest {

    private static String whole(String orig, String dest, long iat, String nam, String jcl, String digest, String crn) {
        Map<String, Object> rcd = new TreeMap<>(Map.of("jcl", jcl, "nam", nam));
        Map<String, Object> claims = new TreeMap<>();
        claims.put("crn", crn);
        claims.put("dest", Map.of("tn", List.of(dest)));
        claims.put("iat", iat);
        claims.put("orig", Map.of("tn", orig));
        claims.put("rcd", rcd);
        claims.put("rcdi", Map.of(RcdClaims.JCL_POINTER, digest));
        return JSONObjectUtils.toJSONString(claims);
    }

    @Test
    void splicedClaimsEqualTheWholeSerialisationEvenForNamesThatNeedEscapes() {
        String nam = "反诈\"中心\\ \u0001";
        String crn = "请接听 \"12381\" \t";
        RcdClaims.CardPart part = RcdClaims.CardPart.of(nam, "http://127.0.0.1:8080/cards/+8612381", "sha256-x=", crn);
        assertEquals(whole("8612381", "8613800138000", 1_764_000_000L, nam, "http://127.0.0.1:8080/cards/+8612381", "sha256-x=", crn),
                new RcdClaims("8612381", "8613800138000", 1_764_000_000L, part).toJson());
    }

    @Test
    void aTelephoneNumberThatIsNotDigitsIsRefusedNotSpliced() {
        RcdClaims.CardPart part = RcdClaims.CardPart.of("n", "http://x/", "sha256-x=", "r");
        assertThrows(IllegalArgumentException.class, () -> new RcdClaims("86\"}", "8613800138000", 1, part).toJson());
        assertThrows(IllegalArgumentException.class, () -> new RcdClaims("8612381", "", 1, part).toJson());
    }

    @Test
    void theCardPartIsCachedPerCardVersionAndUrl() throws Exception {
        JCardDigests digests = new JCardDigests(TestIdentityMaterial.CARDS);
        WarningNumber card = new WarningNumber(PhoneNumbers.parse("+8612381"), "国家反诈中心", "请您接听", "公安部", null,
                Instant.EPOCH, null, "test", Instant.EPOCH, false);
        RcdClaims.CardPart first = digests.claims(card, "http://a/cards/+8612381");
        assertSame(first, digests.claims(card, "http://a/cards/+8612381"));
        RcdClaims.CardPart otherUrl = digests.claims(card, "http://b/cards/+8612381");
        assertEquals(whole("1", "2", 3, "国家反诈中心", "http://b/cards/+8612381", digests.digest(card), "请您接听"),
                new RcdClaims("1", "2", 3, otherUrl).toJson());
        WarningNumber renamed = new WarningNumber(card.number(), "公安部反诈中心", "请您接听", "公安部", null,
                Instant.EPOCH, null, "test", Instant.EPOCH, false);
        assertEquals(whole("1", "2", 3, "公安部反诈中心", "http://b/cards/+8612381", digests.digest(renamed), "请您接听"),
                new RcdClaims("1", "2", 3, digests.claims(renamed, "http://b/cards/+8612381")).toJson());
    }
}
