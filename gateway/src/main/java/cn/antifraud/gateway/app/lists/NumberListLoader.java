package cn.antifraud.gateway.app.lists;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.config.ListFiles;
import cn.antifraud.gateway.app.config.NumberListFiles;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.NumberRegistry;
import cn.antifraud.gateway.registry.WarningNumber;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the number lists named in the config into the registry at startup. Every file is read and
 * checked before anything is written, so a bad file changes nothing. Loading is idempotent: an entry
 * equal to what the registry holds is not written again (and not audited again), so a restart is
 * quiet. The audit actor is {@code config:FILE}.
 *
 * <p>A warning number the API revoked is not brought back by the file: revocation is an operator's
 * decision that outranks a file written before it.
 */
public final class NumberListLoader {
    private static final Logger LOG = LoggerFactory.getLogger(NumberListLoader.class);

    private final NumberRegistry registry;
    private final Clock clock;

    public NumberListLoader(NumberRegistry registry, Clock clock) {
        this.registry = requireNonNull(registry, "registry");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Reads and checks every file, then applies them; blocking (registry writes). */
    public Counts load(ListFiles files) {
        requireNonNull(files, "files");
        List<Parsed<WarningNumber>> warnings = files.warningNumbers().stream()
                .map(f -> new Parsed<>(f, NumberListFiles.warningNumbers(f))).toList();
        List<Parsed<FraudNumber>> frauds = files.fraudNumbers().stream()
                .map(f -> new Parsed<>(f, NumberListFiles.fraudNumbers(f, clock.instant()))).toList();
        List<Parsed<FamilyContacts>> families = files.familyContacts().stream()
                .map(f -> new Parsed<>(f, NumberListFiles.familyContacts(f))).toList();
        long written = 0;
        long unchanged = 0;
        for (Parsed<WarningNumber> p : warnings) {
            for (WarningNumber w : p.records()) {
                Optional<WarningNumber> now = registry.warningNumber(w.number());
                if (now.isPresent() && (now.get().equals(w) || now.get().revoked())) {
                    unchanged++;
                } else {
                    registry.putWarningNumber(w, p.actor());
                    written++;
                }
            }
        }
        for (Parsed<FraudNumber> p : frauds) {
            for (FraudNumber f : p.records()) {
                Optional<FraudNumber> now = registry.fraudNumber(f.number());
                if (now.isPresent() && sameListing(now.get(), f)) {
                    unchanged++;
                } else {
                    FraudNumber keepAdded = now.map(n -> new FraudNumber(f.number(), f.fraudType(), f.caseReference(),
                            n.added(), f.expires(), f.rejectCalls())).orElse(f);
                    registry.putFraudNumber(keepAdded, p.actor());
                    written++;
                }
            }
        }
        for (Parsed<FamilyContacts> p : families) {
            for (FamilyContacts c : p.records()) {
                if (registry.familyContacts(c.subscriber()).filter(c::equals).isPresent()) {
                    unchanged++;
                } else {
                    registry.putFamilyContacts(c, p.actor());
                    written++;
                }
            }
        }
        Counts counts = new Counts(written, unchanged);
        LOG.info("number lists loaded: {} written, {} unchanged, from {} files", written, unchanged,
                warnings.size() + frauds.size() + families.size());
        return counts;
    }

    /** Equal apart from when it was first listed. */
    private static boolean sameListing(FraudNumber a, FraudNumber b) {
        return a.fraudType() == b.fraudType() && a.caseReference().equals(b.caseReference())
                && java.util.Objects.equals(a.expires(), b.expires()) && a.rejectCalls() == b.rejectCalls();
    }

    /** What a load did. */
    public record Counts(long written, long unchanged) {
    }

    private record Parsed<T>(Path file, List<T> records) {
        String actor() {
            return "config:" + file.getFileName();
        }
    }
}
