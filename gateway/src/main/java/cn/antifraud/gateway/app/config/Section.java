package cn.antifraud.gateway.app.config;

import cn.antifraud.gateway.registry.InvalidPhoneNumberException;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A YAML map being read into config objects. Every getter names the key it reads; {@link #finish()}
 * then rejects any key nobody asked for, so a misspelt key ({@code listeners}) stops startup instead of
 * being ignored. Every error carries the file, the line and the dotted path of the key.
 */
public final class Section {
    private final String file;
    private final String path;
    private final YamlNode node;
    private final Set<String> asked = new LinkedHashSet<>();

    Section(String file, String path, YamlNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** The dotted path of this section ({@code sip.listeners[0]}); empty at the top. */
    public String path() {
        return path;
    }

    public String file() {
        return file;
    }

    /** The line this section starts on. */
    public int line() {
        return node.line();
    }

    /** Whether the key is present with a non-null value. */
    public boolean has(String key) {
        asked.add(key);
        YamlNode v = node.entries().get(key);
        return v != null && v.kind() != YamlNode.Kind.NULL;
    }

    /** An error about {@code key} of this section, at the key's line. */
    public ConfigException error(String key, String problem) {
        return new ConfigException(file, node.keyLine(key), keyPath(key), problem);
    }

    /** An error about this section as a whole. */
    public ConfigException error(String problem) {
        return new ConfigException(file, node.line(), path, problem);
    }

    private String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Optional<YamlNode> scalarNode(String key) {
        asked.add(key);
        YamlNode v = node.entries().get(key);
        if (v == null || v.kind() == YamlNode.Kind.NULL) {
            return Optional.empty();
        }
        if (v.kind() != YamlNode.Kind.SCALAR) {
            throw error(key, "must be a single value, got a " + (v.kind() == YamlNode.Kind.MAP ? "map" : "list"));
        }
        return Optional.of(v);
    }

    public Optional<String> optionalString(String key) {
        return scalarNode(key).map(YamlNode::text);
    }

    public String string(String key) {
        String s = optionalString(key).orElseThrow(() -> error(key, "is required"));
        if (s.isBlank()) {
            throw error(key, "must not be empty");
        }
        return s;
    }

    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    /** Converts a present value with {@code parse}; an {@link IllegalArgumentException} becomes an error at the key. */
    public <T> Optional<T> optional(String key, Function<String, T> parse) {
        Optional<String> s = optionalString(key);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(s.get().trim()));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw error(key, e.getMessage());
        }
    }

    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> s = optionalString(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        long v;
        try {
            v = Long.parseLong(s.get().trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(key, "must be a whole number, got '" + s.get() + "'");
        }
        if (v < min || v > max) {
            throw error(key, "must be " + min + "-" + max + ", got " + v);
        }
        return (int) v;
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        Optional<String> s = optionalString(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        long v;
        try {
            v = Long.parseLong(s.get().trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(key, "must be a whole number, got '" + s.get() + "'");
        }
        if (v < min || v > max) {
            throw error(key, "must be " + min + "-" + max + ", got " + v);
        }
        return v;
    }

    /** A port, 1-65535, or 0 when {@code allowZero} (the operating system picks one: tests). */
    public int port(String key, int defaultValue, boolean allowZero) {
        return integer(key, defaultValue, allowZero ? 0 : 1, 65535);
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> s = optionalString(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        switch (s.get().trim()) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw error(key, "must be true or false, got '" + s.get() + "'");
        }
    }

    public Duration duration(String key, Duration defaultValue) {
        return optional(key, Durations::parse).orElse(defaultValue);
    }

    public Optional<Instant> instant(String key) {
        return optional(key, Instant::parse);
    }

    public PhoneNumber phoneNumber(String key) {
        String s = string(key);
        try {
            return PhoneNumbers.parse(s);
        } catch (InvalidPhoneNumberException e) {
            throw error(key, e.getMessage());
        }
    }

    /** One of {@code values} (lower case, '-' or '_' alike). */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        Optional<String> s = optionalString(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        String wanted = s.get().trim().replace('-', '_');
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(wanted)) {
                return e;
            }
            names.add(e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        throw error(key, "must be one of " + String.join(", ", names) + ", got '" + s.get() + "'");
    }

    /** A nested map; an absent key gives an empty section (all defaults). */
    public Section section(String key) {
        asked.add(key);
        YamlNode v = node.entries().get(key);
        String child = keyPath(key);
        if (v == null || v.kind() == YamlNode.Kind.NULL) {
            return new Section(file, child, YamlNode.map(node.keyLine(key), new java.util.LinkedHashMap<>(), java.util.Map.of()));
        }
        if (v.kind() != YamlNode.Kind.MAP) {
            throw error(key, "must be a map of settings");
        }
        return new Section(file, child, v);
    }

    /** A list of maps; absent means empty. */
    public List<Section> sections(String key) {
        List<Section> out = new ArrayList<>();
        List<YamlNode> items = list(key);
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String child = keyPath(key) + "[" + i + "]";
            if (item.kind() != YamlNode.Kind.MAP) {
                throw new ConfigException(file, item.line(), child, "must be a map of settings");
            }
            out.add(new Section(file, child, item));
        }
        return out;
    }

    /** A list of single values; absent means empty. */
    public List<Value> values(String key) {
        List<Value> out = new ArrayList<>();
        List<YamlNode> items = list(key);
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String child = keyPath(key) + "[" + i + "]";
            if (item.kind() != YamlNode.Kind.SCALAR) {
                throw new ConfigException(file, item.line(), child, "must be a single value");
            }
            out.add(new Value(file, item.line(), child, item.text()));
        }
        return out;
    }

    private List<YamlNode> list(String key) {
        asked.add(key);
        YamlNode v = node.entries().get(key);
        if (v == null || v.kind() == YamlNode.Kind.NULL) {
            return List.of();
        }
        if (v.kind() != YamlNode.Kind.LIST) {
            throw error(key, "must be a list");
        }
        return v.items();
    }

    /**
     * Rejects keys that were never asked for. Call after reading every key of the section.
     *
     * @throws ConfigException naming the first unknown key and the keys this section knows
     */
    public void finish() {
        for (String key : node.entries().keySet()) {
            if (!asked.contains(key)) {
                throw error(key, "unknown key (known here: " + String.join(", ", asked) + ")");
            }
        }
    }

    /** One value of a list, with its location for errors. */
    public record Value(String file, int line, String path, String text) {

        public ConfigException error(String problem) {
            return new ConfigException(file, line, path, problem);
        }

        public PhoneNumber phoneNumber() {
            try {
                return PhoneNumbers.parse(text);
            } catch (InvalidPhoneNumberException e) {
                throw error(e.getMessage());
            }
        }
    }
}
