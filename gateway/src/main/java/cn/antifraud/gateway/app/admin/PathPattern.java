package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route's path: literal segments and {@code {name}} variables, one variable per whole segment
 * ({@code /v1/fraud-numbers/{number}}). A variable matches one non-empty segment of the decoded path,
 * never a {@code /}. Literal segments may carry a custom method ({@code fraud-numbers:import}).
 */
final class PathPattern {
    private final String text;
    private final List<String> segments;

    private PathPattern(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("a path pattern starts with /: " + text);
        }
        this.text = text;
        this.segments = List.of(text.substring(1).split("/", -1));
    }

    static PathPattern of(String text) {
        return new PathPattern(requireNonNull(text, "text"));
    }

    /** The path variables when the decoded path matches, else empty. */
    Optional<Map<String, String>> match(String path) {
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> vars = new HashMap<>(2);
        for (int i = 0; i < parts.length; i++) {
            String s = segments.get(i);
            if (s.startsWith("{") && s.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return Optional.empty();
                }
                vars.put(s.substring(1, s.length() - 1), parts[i]);
            } else if (!s.equals(parts[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(vars);
    }

    @Override
    public String toString() {
        return text;
    }
}
