package cn.antifraud.gateway.app.lists;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.config.ListFiles;
import cn.antifraud.gateway.app.config.NumberListFiles;
import cn.antifraud.gateway.registry.Change;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.NumberRegistry;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds the registry from the number lists named in the config, at startup and on every reload
 * ({@code SIGHUP}). Every file is read and checked before anything is written, so a bad file changes
 * nothing. The audit actor is {@code config:FILE}.
 *
 * <p>The files seed; the admin API edits. An entry of a file is applied only when it changed since
 * this node last applied it (a digest per entry is kept in the data directory, {@link AppliedListEntries}):
 * <ul>
 *   <li>new in the file, and the registry has no record of the number: written;</li>
 *   <li>the same as when last applied: left alone, so an edit made through the API since (a family
 *       contact's consent, a card's text) is not undone by a restart;</li>
 *   <li>changed in the file since it was last applied: written, over an API edit too, since the
 *       operator changed the file after it;</li>
 *   <li>never applied by this node, but the registry already has the number (applied by another
 *       member of the cluster, by an older gateway without the digest file, or added through the
 *       API): the registry's record is kept and the entry is recorded as applied.</li>
 * </ul>
 * A warning number the API revoked is never brought back by a file: revocation is an operator's
 * decision that outranks any file. An entry deleted from a file is not deleted from the registry
 * (use the API). Writing a record equal to the stored one is a no-op that leaves no audit record.
 */
public final class NumberListLoader {
    private static final Logger LOG = LoggerFactory.getLogger(NumberListLoader.class);
    /** How many changed numbers a load names in its log line; the counts cover the rest. */
    private static final int NAMED_CHANGES = 10;

    private final NumberRegistry registry;
    private final Clock clock;
    private final Path dataDir;

    /**
     * @param dataDir the node's data directory, where {@value AppliedListEntries#FILE_NAME} is kept
     */
    public NumberListLoader(NumberRegistry registry, Clock clock, Path dataDir) {
        this.registry = requireNonNull(registry, "registry");
        this.clock = requireNonNull(clock, "clock");
        this.dataDir = requireNonNull(dataDir, "dataDir");
    }

    /** Reads and checks every file, then applies what changed; blocking (registry writes). */
    public synchronized Counts load(ListFiles files) {
        requireNonNull(files, "files");
        List<Parsed<WarningNumber>> warnings = files.warningNumbers().stream()
                .map(f -> new Parsed<>(f, NumberListFiles.warningNumbers(f))).toList();
        List<Parsed<FraudNumber>> frauds = files.fraudNumbers().stream()
                .map(f -> new Parsed<>(f, NumberListFiles.fraudNumbers(f, clock.instant()))).toList();
        List<Parsed<FamilyContacts>> families = files.familyContacts().stream()
                .map(f -> new Parsed<>(f, NumberListFiles.familyContacts(f))).toList();
        AppliedListEntries applied = AppliedListEntries.open(dataDir);
        Tally tally = new Tally();
        try {
            for (Parsed<WarningNumber> p : warnings) {
                for (WarningNumber w : p.records()) {
                    apply(applied, tally, "warning", w.number(), digest(w), registry.warningNumber(w.number()),
                            now -> !now.revoked(), () -> registry.putWarningNumber(w, p.actor()));
                }
            }
            for (Parsed<FraudNumber> p : frauds) {
                for (FraudNumber f : p.records()) {
                    Optional<FraudNumber> now = registry.fraudNumber(f.number());
                    // When the number was first listed stays as the registry has it.
                    FraudNumber keepAdded = now.map(n -> new FraudNumber(f.number(), f.fraudType(), f.caseReference(),
                            n.added(), f.expires(), f.rejectCalls())).orElse(f);
                    apply(applied, tally, "fraud", f.number(), digest(f), now, n -> true,
                            () -> registry.putFraudNumber(keepAdded, p.actor()));
                }
            }
            for (Parsed<FamilyContacts> p : families) {
                for (FamilyContacts c : p.records()) {
                    apply(applied, tally, "family", c.subscriber(), digest(c), registry.familyContacts(c.subscriber()),
                            n -> true, () -> registry.putFamilyContacts(c, p.actor()));
                }
            }
        } finally {
            // What was applied stays recorded even when a later write failed.
            applied.save();
        }
        Counts counts = tally.counts();
        LOG.info("number lists from {} files: {}", warnings.size() + frauds.size() + families.size(), counts.describe());
        return counts;
    }

    private <T> void apply(AppliedListEntries applied, Tally tally, String kind, PhoneNumber number, String digest,
                           Optional<T> now, Predicate<T> writable, Supplier<Change<T>> put) {
        Optional<String> last = applied.lastApplied(kind, number.e164());
        if (last.isPresent() && last.get().equals(digest)) {
            tally.unchanged++;
            return;
        }
        if ((last.isEmpty() && now.isPresent()) || (now.isPresent() && !writable.test(now.get()))) {
            tally.kept++;
        } else if (put.get().unchanged()) {
            tally.unchanged++;
        } else {
            tally.written++;
            if (tally.named.size() < NAMED_CHANGES) {
                tally.named.add(kind + " " + number.e164());
            }
        }
        applied.record(kind, number.e164(), digest);
    }

    private static String digest(WarningNumber w) {
        return AppliedListEntries.digest(Arrays.asList(w.number().e164(), w.cardName(), w.callReason(), w.agency(),
                w.logoUrl(), w.validFrom(), w.validUntil(), w.verifiedBy(), w.verifiedAt(), w.revoked()));
    }

    /** Without {@code added}: that is when the file was read, not part of the entry. */
    private static String digest(FraudNumber f) {
        return AppliedListEntries.digest(Arrays.asList(f.number().e164(), f.fraudType().name(), f.caseReference(),
                f.expires(), f.rejectCalls()));
    }

    private static String digest(FamilyContacts c) {
        return AppliedListEntries.digest(Arrays.asList(c.subscriber().e164(),
                c.contacts().stream().map(PhoneNumber::e164).toList(), c.consent(), c.consentedAt()));
    }

    /**
     * What a load did.
     *
     * @param written   entries written to the registry (new, or changed in their file)
     * @param unchanged entries the same as when last applied, or equal to the registry's record
     * @param kept      entries not applied because the registry's record wins: it was there before this
     *                  node applied the entry, or the number was revoked
     * @param changed   up to {@value #NAMED_CHANGES} of the written entries, as "kind +E164"
     */
    public record Counts(long written, long unchanged, long kept, List<String> changed) {
        public Counts {
            changed = List.copyOf(changed);
        }

        /** One line for the log: the counts, and which numbers were written. */
        public String describe() {
            return written + " written" + (changed.isEmpty() ? "" : " (" + String.join(", ", changed)
                    + (written > changed.size() ? ", ..." : "") + ")") + ", " + unchanged + " unchanged, "
                    + kept + " kept as the registry has them";
        }
    }

    private static final class Tally {
        long written;
        long unchanged;
        long kept;
        final List<String> named = new ArrayList<>();

        Counts counts() {
            return new Counts(written, unchanged, kept, named);
        }
    }

    private record Parsed<T>(Path file, List<T> records) {
        String actor() {
            return "config:" + file.getFileName();
        }
    }
}
