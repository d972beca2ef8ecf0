package cn.antifraud.gateway.app.config;

import cn.antifraud.gateway.app.csv.FraudNumberCsv;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the number lists of {@code config/} into registry records, checking every entry: a bad entry
 * is a {@link ConfigException} with the file, the line and the field. A number listed twice in one
 * file is an error too (which entry would win is not obvious to an operator).
 *
 * <p>Warning numbers ({@code warning-numbers:} list of maps with {@code number}, {@code card-name},
 * {@code call-reason}, {@code agency}, {@code logo-url}, {@code valid-from}, {@code valid-until},
 * {@code verified-by}, {@code verified-at}); family contacts ({@code family-contacts:} list of maps with
 * {@code subscriber}, {@code contacts}, {@code consent}, {@code consented-at}); fraud numbers as CSV
 * ({@link FraudNumberCsv}).
 */
public final class NumberListFiles {
    private NumberListFiles() {
    }

    public static List<WarningNumber> warningNumbers(Path file) {
        Section top = open(file);
        List<WarningNumber> out = new ArrayList<>();
        Map<PhoneNumber, Integer> seen = new HashMap<>();
        for (Section s : top.sections("warning-numbers")) {
            PhoneNumber number = s.phoneNumber("number");
            unique(s, "number", number, seen);
            Instant verifiedAt = s.instant("verified-at").orElseThrow(() -> s.error("verified-at", "is required"));
            Instant validFrom = s.instant("valid-from").orElse(verifiedAt);
            try {
                out.add(new WarningNumber(number, s.string("card-name"), s.string("call-reason"), s.string("agency"),
                        s.optionalString("logo-url").orElse(null), validFrom, s.instant("valid-until").orElse(null),
                        s.string("verified-by"), verifiedAt, false));
            } catch (IllegalArgumentException e) {
                throw s.error(e.getMessage());
            }
            s.finish();
        }
        top.finish();
        return out;
    }

    public static List<FamilyContacts> familyContacts(Path file) {
        Section top = open(file);
        List<FamilyContacts> out = new ArrayList<>();
        Map<PhoneNumber, Integer> seen = new HashMap<>();
        for (Section s : top.sections("family-contacts")) {
            PhoneNumber subscriber = s.phoneNumber("subscriber");
            unique(s, "subscriber", subscriber, seen);
            List<PhoneNumber> contacts = new ArrayList<>();
            for (Section.Value v : s.values("contacts")) {
                contacts.add(v.phoneNumber());
            }
            boolean consent = s.bool("consent", false);
            Optional<Instant> consentedAt = s.instant("consented-at");
            if (consent && consentedAt.isEmpty()) {
                throw s.error("consented-at", "is required when consent is true (when did the subscriber agree?)");
            }
            try {
                out.add(new FamilyContacts(subscriber, contacts, consent, consent ? consentedAt.get() : null));
            } catch (IllegalArgumentException e) {
                throw s.error("contacts", e.getMessage());
            }
            s.finish();
        }
        top.finish();
        return out;
    }

    /**
     * Reads a CSV list of fraud numbers.
     *
     * @param added the listing time of new entries
     */
    public static List<FraudNumber> fraudNumbers(Path file, Instant added) {
        String name = file.toString();
        List<FraudNumber> out = new ArrayList<>();
        Map<PhoneNumber, Integer> seen = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (FraudNumberCsv.isSkipped(line)) {
                    continue;
                }
                FraudNumber f;
                try {
                    f = FraudNumberCsv.parse(line, added);
                } catch (FraudNumberCsv.RowException e) {
                    throw new ConfigException(name, lineNumber, e.column(), e.getMessage().substring(e.column().length() + 2));
                }
                Integer first = seen.putIfAbsent(f.number(), lineNumber);
                if (first != null) {
                    throw new ConfigException(name, lineNumber, "number", f.number() + " is listed twice (first on line " + first + ")");
                }
                out.add(f);
            }
        } catch (IOException e) {
            throw new ConfigException(name, 0, "", "cannot read: " + e.getMessage());
        }
        return out;
    }

    private static void unique(Section s, String key, PhoneNumber number, Map<PhoneNumber, Integer> seen) {
        Integer first = seen.putIfAbsent(number, s.line());
        if (first != null) {
            throw s.error(key, number + " is listed twice (first at line " + first + ")");
        }
    }

    private static Section open(Path file) {
        String name = file.toString();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            YamlNode root = YamlTreeReader.read(name, in);
            if (root.kind() != YamlNode.Kind.MAP) {
                throw new ConfigException(name, root.line(), "", "must be a map with one list");
            }
            return new Section(name, "", root);
        } catch (IOException e) {
            throw new ConfigException(name, 0, "", "cannot read: " + e.getMessage());
        }
    }
}
