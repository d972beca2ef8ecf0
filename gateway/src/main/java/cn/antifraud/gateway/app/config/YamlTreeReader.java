package cn.antifraud.gateway.app.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML document with Jackson's streaming YAML parser into a {@link YamlNode} tree that keeps
 * every key's line. Duplicate keys are errors (YAML 1.2 §3.2.1.1 requires unique keys; SnakeYAML
 * would silently keep the last one, and an operator would never know which of two ports is used).
 */
final class YamlTreeReader {
    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private YamlTreeReader() {
    }

    /** Parses a whole document; an empty document is an empty map. */
    static YamlNode read(String file, Reader in) {
        try (JsonParser p = YAML.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return YamlNode.map(1, new LinkedHashMap<>(), Map.of());
            }
            return value(file, p, "");
        } catch (ConfigException e) {
            throw e;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            throw new ConfigException(file, line, "", "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file, 1, "", "cannot read: " + e.getMessage());
        }
    }

    private static YamlNode value(String file, JsonParser p, String path) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                LinkedHashMap<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    String child = path.isEmpty() ? key : path + "." + key;
                    if (entries.containsKey(key)) {
                        throw new ConfigException(file, keyLine, child,
                                "duplicate key (first on line " + keyLines.get(key) + ")");
                    }
                    p.nextToken();
                    entries.put(key, value(file, p, child));
                    keyLines.put(key, keyLine);
                }
                return YamlNode.map(line, entries, keyLines);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(file, p, path + "[" + items.size() + "]"));
                }
                return YamlNode.list(line, items);
            }
            case VALUE_NULL:
                return YamlNode.nullValue(line);
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
            case VALUE_TRUE:
            case VALUE_FALSE:
                return YamlNode.scalar(line, p.getText());
            default:
                throw new ConfigException(file, line, path, "unsupported YAML value " + t + describe(p.getParsingContext()));
        }
    }

    private static String describe(JsonStreamContext context) {
        return context == null || context.getCurrentName() == null ? "" : " at " + context.getCurrentName();
    }
}
