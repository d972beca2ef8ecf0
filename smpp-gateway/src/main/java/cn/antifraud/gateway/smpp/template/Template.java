package cn.antifraud.gateway.smpp.template;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One warning text with {@code {placeholder}}s. A section in {@code [[...]]} is kept only when every
 * placeholder inside it has a value, so one template serves requests with and without a fraud number.
 */
public final class Template {
    static final Pattern SECTION = Pattern.compile("\\[\\[(.*?)]]", Pattern.DOTALL);
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private final String name;
    private final String text;

    Template(String name, String text) {
        this.name = requireNonNull(name, "name");
        this.text = requireNonNull(text, "text");
    }

    public String name() { return name; }

    /** The raw text, placeholders unexpanded. */
    public String text() { return text; }

    /** Renders with the given values; a placeholder outside an optional section must have one. */
    public String render(Map<Placeholder, String> values) {
        requireNonNull(values, "values");
        Matcher sections = SECTION.matcher(text);
        StringBuilder kept = new StringBuilder();
        while (sections.find()) {
            String body = sections.group(1);
            sections.appendReplacement(kept, Matcher.quoteReplacement(allPresent(body, values) ? body : ""));
        }
        sections.appendTail(kept);
        Matcher m = PLACEHOLDER.matcher(kept);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Placeholder p = Placeholder.byToken(m.group(1))
                    .orElseThrow(() -> new TemplateException(name, "unknown placeholder {" + m.group(1) + "}"));
            String value = values.get(p);
            if (value == null) {
                throw new TemplateException(name, "no value for {" + p.token() + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean allPresent(String body, Map<Placeholder, String> values) {
        Matcher m = PLACEHOLDER.matcher(body);
        while (m.find()) {
            if (Placeholder.byToken(m.group(1)).map(values::get).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Template{" + name + "}";
    }
}
