package cn.antifraud.gateway.app.config;

import static java.util.Objects.requireNonNull;

/**
 * A config or number-list file that cannot be used, with where and why:
 * {@code config/gateway.yaml:42: sip.listeners[0].port: must be 1-65535, got 70000}. Startup stops
 * with this message; it never carries a secret's value.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String key;
    private final String problem;

    public ConfigException(String file, int line, String key, String problem) {
        super(file + ":" + line + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
        this.file = requireNonNull(file, "file");
        this.line = line;
        this.key = requireNonNull(key, "key");
        this.problem = requireNonNull(problem, "problem");
    }

    /** The file as named on the command line or in the config. */
    public String file() {
        return file;
    }

    /** 1-based line of the offending key or value. */
    public int line() {
        return line;
    }

    /** The dotted path of the key, e.g. {@code sip.listeners[0].port}; empty for the whole file. */
    public String key() {
        return key;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }
}
