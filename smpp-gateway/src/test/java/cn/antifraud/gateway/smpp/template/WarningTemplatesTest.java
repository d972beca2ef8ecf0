package cn.antifraud.gateway.smpp.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.FraudType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarningTemplatesTest {
    /** The templates the project ships, which the README's run command uses. */
    static final Path SHIPPED = Path.of("..", "config", "templates");

    private static Map<FraudType, String> valid() {
        Map<FraudType, String> m = new EnumMap<>(FraudType.class);
        for (FraudType t : FraudType.values()) {
            m.put(t, "【反诈预警】您[[与尾号{fraudLast4}的]]号码疑似涉及{fraudType}诈骗，请拨打110或96110。");
        }
        return m;
    }

    private static final String FAMILY = "您的家人（尾号{subscriberLast4}）可能正在遭遇{fraudType}诈骗。";
    private static final String FLASH = "您正遭遇疑似{fraudType}诈骗，请立即挂断！";

    @Test
    void theShippedTemplatesLoadAndEachFraudTypeHasItsOwnWording() {
        WarningTemplates t = WarningTemplates.load(SHIPPED);
        long distinct = Stream.of(FraudType.values()).map(ft -> t.forType(ft).text()).distinct().count();
        assertEquals(FraudType.values().length, distinct);
        for (FraudType ft : FraudType.values()) {
            String text = t.forType(ft).render(Map.of(Placeholder.FRAUD_TYPE, ft.chineseName(), Placeholder.FRAUD_LAST4, "8000"));
            assertTrue(text.contains("三不一多") && text.contains("未知链接不点击"), ft + ": " + text);
            assertTrue(text.contains("尾号8000"), ft + ": " + text);
            assertTrue(text.contains("110"), text);
        }
    }

    @Test
    void anOptionalSectionDisappearsWhenTheRequestNamesNoFraudNumber() {
        WarningTemplates t = WarningTemplates.load(SHIPPED);
        String text = t.forType(FraudType.IMPERSONATING_AUTHORITIES).render(Map.of(Placeholder.FRAUD_TYPE, "冒充公检法"));
        assertFalse(text.contains("尾号"), text);
        assertFalse(text.contains("{"), text);
    }

    @Test
    void aLinkIsRefusedNamingTheTemplate() {
        Map<FraudType, String> m = valid();
        m.put(FraudType.FAKE_LOAN, "详情见 www.example.cn 请勿转账");
        TemplateException e = assertThrows(TemplateException.class, () -> WarningTemplates.of(m, FAMILY, FLASH));
        assertTrue(e.getMessage().contains("'fake_loan'") && e.getMessage().contains("link"), e.getMessage());
    }

    @Test
    void aPhoneNumberOtherThan110And96110IsRefused() {
        Map<FraudType, String> m = valid();
        m.put(FraudType.ROMANCE, "如有疑问请拨打021-12345678");
        TemplateException e = assertThrows(TemplateException.class, () -> WarningTemplates.of(m, FAMILY, FLASH));
        assertTrue(e.getMessage().contains("'romance'") && e.getMessage().contains("021"), e.getMessage());
    }

    @Test
    void fullWidthDigitsDoNotHideANumber() {
        Map<FraudType, String> m = valid();
        m.put(FraudType.ROMANCE, "请拨打１３８００１３８０００");
        assertThrows(TemplateException.class, () -> WarningTemplates.of(m, FAMILY, FLASH));
    }

    @Test
    void anUnknownPlaceholderIsRefusedByName() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> WarningTemplates.of(valid(), "您的家人{subscriberName}可能被骗", FLASH));
        assertTrue(e.getMessage().contains("'family'") && e.getMessage().contains("{subscriberName}"), e.getMessage());
    }

    @Test
    void aFlashTemplateThatCanOutgrowOnePartIsRefused() {
        String longFlash = "请".repeat(61) + "{fraudType}";
        TemplateException e = assertThrows(TemplateException.class, () -> WarningTemplates.of(valid(), FAMILY, longFlash));
        assertTrue(e.getMessage().contains("'flash'") && e.getMessage().contains("71"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) throws IOException {
        for (FraudType t : FraudType.values()) {
            Files.writeString(dir.resolve(t.code() + ".txt"), "请拨打110。", StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("family.txt"), FAMILY, StandardCharsets.UTF_8);
        TemplateException e = assertThrows(TemplateException.class, () -> WarningTemplates.load(dir));
        assertTrue(e.getMessage().contains("'flash'") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void commentLinesAreNotPartOfTheText(@TempDir Path dir) throws IOException {
        for (FraudType t : FraudType.values()) {
            Files.writeString(dir.resolve(t.code() + ".txt"), "# note: see https://intranet/x\n请拨打110。\n", StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("family.txt"), FAMILY, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("flash.txt"), FLASH, StandardCharsets.UTF_8);
        assertEquals("请拨打110。", WarningTemplates.load(dir).forType(FraudType.ROMANCE).text());
    }
}
