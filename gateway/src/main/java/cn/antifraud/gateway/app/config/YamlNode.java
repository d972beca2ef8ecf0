package cn.antifraud.gateway.app.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it was read from, so that every error can name its line. Jackson's
 * {@code JsonNode} drops locations, hence this small tree.
 */
final class YamlNode {

    /** The shape of a node. */
    enum Kind { MAP, LIST, SCALAR, NULL }

    private final Kind kind;
    private final int line;
    private final String text;
    private final Map<String, YamlNode> entries;
    private final Map<String, Integer> keyLines;
    private final List<YamlNode> items;

    private YamlNode(Kind kind, int line, String text, Map<String, YamlNode> entries, Map<String, Integer> keyLines,
                     List<YamlNode> items) {
        this.kind = kind;
        this.line = line;
        this.text = text;
        this.entries = entries;
        this.keyLines = keyLines;
        this.items = items;
    }

    static YamlNode scalar(int line, String text) {
        return new YamlNode(Kind.SCALAR, line, text, Map.of(), Map.of(), List.of());
    }

    static YamlNode nullValue(int line) {
        return new YamlNode(Kind.NULL, line, null, Map.of(), Map.of(), List.of());
    }

    static YamlNode map(int line, LinkedHashMap<String, YamlNode> entries, Map<String, Integer> keyLines) {
        return new YamlNode(Kind.MAP, line, null, Collections.unmodifiableMap(entries),
                Collections.unmodifiableMap(keyLines), List.of());
    }

    static YamlNode list(int line, List<YamlNode> items) {
        return new YamlNode(Kind.LIST, line, null, Map.of(), Map.of(), List.copyOf(items));
    }

    Kind kind() {
        return kind;
    }

    int line() {
        return line;
    }

    /** The scalar's text as written (numbers and booleans included); null unless a scalar. */
    String text() {
        return text;
    }

    Map<String, YamlNode> entries() {
        return entries;
    }

    /** The line of a map key (the value may start on a later line). */
    int keyLine(String key) {
        return keyLines.getOrDefault(key, line);
    }

    List<YamlNode> items() {
        return items;
    }
}
