package cn.antifraud.gateway.smpp.template;

import cn.antifraud.gateway.smpp.encoding.SmsEncoder;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules a 12381 warning must keep (national 12381 practice, see the handbook): no links, no number to
 * call but 110 and 96110, every placeholder known, and a flash text that fits one UCS2 part however long
 * its placeholders' values are.
 */
final class TemplateValidator {
    private static final Pattern URL = Pattern.compile(
            "(?i)(https?://|www\\.|[a-z0-9-]+\\s*[.。]\\s*(com|cn|net|org|top|xyz|cc|vip|info|io|me|app|link)\\b)");
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{3,}");
    private static final Set<String> ALLOWED_NUMBERS = Set.of("110", "96110");

    private TemplateValidator() {
    }

    static void validate(Template t, boolean flash) {
        String text = t.text();
        if (text.isBlank()) {
            throw new TemplateException(t.name(), "is empty");
        }
        Matcher url = URL.matcher(text);
        if (url.find()) {
            throw new TemplateException(t.name(), "contains a link ('" + url.group() + "'); warnings carry no links");
        }
        Matcher digits = DIGIT_RUN.matcher(asciiDigits(text));
        while (digits.find()) {
            if (!ALLOWED_NUMBERS.contains(digits.group())) {
                throw new TemplateException(t.name(), "contains the number " + digits.group()
                        + "; the only numbers a warning may give are 110 and 96110");
            }
        }
        Matcher sectionBodies = Template.SECTION.matcher(text);
        String withoutSections = sectionBodies.replaceAll("$1");
        if (withoutSections.contains("[[") || withoutSections.contains("]]")) {
            throw new TemplateException(t.name(), "has an unclosed [[ ]] section");
        }
        int worstLength = 0;
        Matcher m = Template.PLACEHOLDER.matcher(withoutSections);
        int last = 0;
        while (m.find()) {
            Placeholder p = Placeholder.byToken(m.group(1)).orElseThrow(() ->
                    new TemplateException(t.name(), "unknown placeholder {" + m.group(1) + "}; known: fraudType, fraudLast4, subscriberLast4"));
            worstLength += m.start() - last + p.maxLength();
            last = m.end();
        }
        worstLength += withoutSections.length() - last;
        if (withoutSections.indexOf('{') >= 0 && !Template.PLACEHOLDER.matcher(withoutSections).find()) {
            throw new TemplateException(t.name(), "has an unclosed '{'");
        }
        if (flash && worstLength > SmsEncoder.UCS2_SINGLE_UNITS) {
            throw new TemplateException(t.name(), "can render to " + worstLength
                    + " UCS2 characters; a flash SMS is one part of at most " + SmsEncoder.UCS2_SINGLE_UNITS);
        }
    }

    /** Full-width digits (０-９) count as digits too, or a number could hide from the check. */
    private static String asciiDigits(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c >= '０' && c <= '９' ? (char) ('0' + (c - '０')) : c);
        }
        return sb.toString();
    }
}
