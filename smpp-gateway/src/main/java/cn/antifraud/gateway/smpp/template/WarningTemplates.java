package cn.antifraud.gateway.smpp.template;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.FraudType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The operator's warning texts: {@code <fraud type code>.txt} for each of the ten fraud types (tier 1, to
 * the subscriber), {@code family.txt} (to family contacts) and {@code flash.txt} (the flash SMS). Lines
 * starting with {@code #} are comments; the other lines are joined without line breaks. Every template is
 * checked when loaded and a bad one stops startup with its name and the problem.
 */
public final class WarningTemplates {
    public static final String FAMILY = "family";
    public static final String FLASH = "flash";

    private final Map<FraudType, Template> byType;
    private final Template family;
    private final Template flash;

    private WarningTemplates(Map<FraudType, Template> byType, Template family, Template flash) {
        this.byType = Map.copyOf(byType);
        this.family = family;
        this.flash = flash;
    }

    /** Loads and validates every template from {@code dir}. */
    public static WarningTemplates load(Path dir) {
        requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("template folder " + dir + " does not exist");
        }
        Map<FraudType, Template> byType = new EnumMap<>(FraudType.class);
        for (FraudType type : FraudType.values()) {
            byType.put(type, read(dir, type.code(), false));
        }
        return new WarningTemplates(byType, read(dir, FAMILY, false), read(dir, FLASH, true));
    }

    /** Builds from texts in memory (tests, admin previews), with the same checks as {@link #load}. */
    public static WarningTemplates of(Map<FraudType, String> byType, String family, String flash) {
        Map<FraudType, Template> templates = new EnumMap<>(FraudType.class);
        for (FraudType type : FraudType.values()) {
            String text = byType.get(type);
            if (text == null) {
                throw new TemplateException(type.code(), "is missing");
            }
            templates.put(type, checked(type.code(), text, false));
        }
        return new WarningTemplates(templates, checked(FAMILY, family, false), checked(FLASH, flash, true));
    }

    private static Template read(Path dir, String name, boolean isFlash) {
        Path file = dir.resolve(name + ".txt");
        if (!Files.isRegularFile(file)) {
            throw new TemplateException(name, "file " + file + " is missing");
        }
        try {
            String text = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.startsWith("#"))
                    .map(String::strip)
                    .collect(Collectors.joining());
            return checked(name, text, isFlash);
        } catch (CharacterCodingException e) {
            throw new TemplateException(name, "file " + file + " is not UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + file, e);
        }
    }

    private static Template checked(String name, String text, boolean isFlash) {
        Template t = new Template(name, requireNonNull(text, name));
        TemplateValidator.validate(t, isFlash);
        return t;
    }

    public Template forType(FraudType type) {
        return byType.get(requireNonNull(type, "type"));
    }

    public Template family() { return family; }

    public Template flash() { return flash; }
}
