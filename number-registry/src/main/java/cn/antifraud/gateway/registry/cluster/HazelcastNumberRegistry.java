package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.AuditRecord;
import cn.antifraud.gateway.registry.Change;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.ImportProgress;
import cn.antifraud.gateway.registry.ImportRecord;
import cn.antifraud.gateway.registry.ImportResult;
import cn.antifraud.gateway.registry.NoQuorumException;
import cn.antifraud.gateway.registry.RejectedRow;
import cn.antifraud.gateway.registry.NumberRegistry;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.registry.store.AuditLog;
import cn.antifraud.gateway.registry.store.CommitAheadStore;
import com.hazelcast.core.EntryView;
import com.hazelcast.map.IMap;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import cn.antifraud.gateway.registry.store.RegistryListings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The registry on a {@link RegistryMember}: audited, write-through admin operations and the SIP hot
 * path.
 *
 * <h2>Hot path: never blocks</h2>
 * {@link #brandableCard}, {@link #registered} and {@link #activeFraudNumber} answer from the member's
 * near cache, which also caches misses (see {@link NearCacheReads}). A number not yet in the near cache
 * is answered as <em>unknown</em> and fetched in the background, so the SIP event loop never waits for
 * the partition owner:
 * <ul>
 *   <li>Branding: unknown means no card. A revoked number is never branded; a valid police number
 *       may go unbranded on its first call after a member start or a near-cache eviction. To make
 *       that rare, a starting member warms its near cache with every warning number
 *       ({@link RegistryConfig#warmWarningNumbers()}), and a card added or changed anywhere is
 *       refilled on every member shortly after the change ({@link CardRewarmer}).</li>
 *   <li>Spoof detection ({@link #registered}): unknown means "not known to be registered" on first
 *       sight of a number; warning numbers are warmed as above, so this only happens for numbers
 *       registered elsewhere in the last moment.</li>
 *   <li>Fraud contacts ({@link #activeFraudNumber}): a fraud number seen for the first time on a
 *       member answers empty, so that one contact would be missed. Callers that must not miss it use
 *       {@link #activeFraudNumberEventually}, which completes (off the event loop) with the full
 *       answer; the SIP proxy uses it to publish contact events after forwarding the INVITE.
 *       Rejecting with 608 on first sight needs the synchronous answer and is therefore best-effort.</li>
 * </ul>
 * A change made on any member reaches every near cache within the invalidation delay target (1 s),
 * see {@link RegistryMember}.
 *
 * <h2>Split brain</h2>
 * A member that does not see its quorum ({@link RegistryQuorum}) refuses every write with
 * {@link NoQuorumException} before touching the map (and Hazelcast's split-brain protection refuses it
 * again on the partition owner, reported the same way), and {@link #brandableCard} answers per
 * {@link RegistryConfig#noQuorumBranding()}: by default no card, because a revocation made on the
 * majority cannot reach it. {@link #registered} (spoof detection) and the fraud-number lookups keep
 * answering from the near cache: a stale answer there flags a call or warns a subscriber, it never
 * brands one.
 *
 * <h2>Writes</h2>
 * Every write blocks until the database has the row (write-through) and then appends an audit record
 * with the record before and after as JSON. A put of a record equal to the one the partition owner
 * holds writes nothing and audits nothing ({@link Change#unchanged()}): an operator's repeated PUT, or a
 * list file applied again, leaves no trace. The map write and the audit append are not one
 * transaction: if the audit append fails, the change stays and the exception reaches the caller.
 */
public final class HazelcastNumberRegistry implements NumberRegistry, AutoCloseable {

    static final String WARNING_ENTITY = "warning-number";
    static final String FRAUD_ENTITY = "fraud-number";
    static final String FAMILY_ENTITY = "family-contacts";

    /**
     * Rows per import batch: one database transaction and one {@code setAll}. Measured on PostgreSQL (1 M rows,
     * docs/registry-benchmarks.md, seventh session): 5,000 took a third less gateway CPU than 1,000 (fewer
     * partition operations, each carrying more entries), 10,000 no less than 5,000. It is also what a failure
     * can leave unaccounted: the failing batch and the one committed behind it.
     */
    public static final int IMPORT_BATCH = 5_000;
    private static final int WARM_BATCH = 1000;

    private final IMap<String, WarningNumber> warningNumbers;
    private final IMap<Long, FraudNumber> fraudNumbers;
    private final IMap<String, FamilyContacts> familyContacts;
    private final NearCacheReads<String, WarningNumber> cardReads;
    private final NearCacheReads<Long, FraudNumber> fraudReads;
    private final AuditLog audit;
    private final RegistryListings listings;
    private final Optional<CommitAheadStore<FraudNumber>> fraudRows;
    private final CardRewarmer cardRewarmer;
    private final RegistryQuorum quorum;
    private final boolean brandWithoutQuorum;

    /**
     * A registry without direct database access (benchmarks, in-memory tests): listings scan the
     * maps ({@link MapListings}) and imports store through the map's write-through, row by row.
     */
    public HazelcastNumberRegistry(RegistryMember member, AuditLog audit) {
        this(member, audit, new MapListings(member), Optional.empty());
    }

    /**
     * The registry of a gateway node: listings are keyset pages of the database's primary key index,
     * and imports commit each batch to {@code fraudRows} in one transaction before putting it into the
     * map, which then does not write it a second time on this member.
     *
     * @param listings  the listings of the same database the member's map stores write to
     * @param fraudRows the member's fraud-number store (E.164 keys), the one its map writes through
     */
    public HazelcastNumberRegistry(RegistryMember member, AuditLog audit, RegistryListings listings,
                                   CommitAheadStore<FraudNumber> fraudRows) {
        this(member, audit, listings, Optional.of(fraudRows));
    }

    private HazelcastNumberRegistry(RegistryMember member, AuditLog audit, RegistryListings listings,
                                    Optional<CommitAheadStore<FraudNumber>> fraudRows) {
        requireNonNull(member, "member");
        this.audit = requireNonNull(audit, "audit");
        this.quorum = member.quorum();
        this.brandWithoutQuorum = member.config().noQuorumBranding() == RegistryConfig.NoQuorumBranding.LAST_KNOWN;
        this.listings = requireNonNull(listings, "listings");
        this.fraudRows = fraudRows;
        this.warningNumbers = member.warningNumbers();
        this.fraudNumbers = member.fraudNumbers();
        this.familyContacts = member.familyContacts();
        this.cardReads = new NearCacheReads<>(warningNumbers, WarningNumber.class);
        this.fraudReads = new NearCacheReads<>(fraudNumbers, FraudNumber.class);
        this.cardRewarmer = new CardRewarmer(warningNumbers, cardReads);
        if (member.config().warmWarningNumbers()) {
            warmWarningNumbers();
        }
    }

    /** Stops refilling changed cards; the member itself is closed by its owner. */
    @Override
    public void close() {
        cardRewarmer.close();
    }

    /** Loads every warning number into this member's near cache; blocking, done once at start. */
    private void warmWarningNumbers() {
        Set<String> batch = new HashSet<>();
        for (String key : warningNumbers.keySet()) {
            batch.add(key);
            if (batch.size() == WARM_BATCH) {
                warningNumbers.getAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            warningNumbers.getAll(batch);
        }
    }

    // ---- hot path -------------------------------------------------------------------------------

    @Override
    public Optional<WarningNumber> brandableCard(PhoneNumber caller, Instant now) {
        requireNonNull(now, "now");
        if (!brandWithoutQuorum && !quorum.present()) {
            return Optional.empty();
        }
        return registered(caller).filter(card -> card.brandableAt(now));
    }

    @Override
    public Optional<WarningNumber> registered(PhoneNumber number) {
        requireNonNull(number, "number");
        return cardReads.now(number.e164()).known();
    }

    @Override
    public Optional<FraudNumber> activeFraudNumber(PhoneNumber number, Instant now) {
        requireNonNull(number, "number");
        requireNonNull(now, "now");
        return fraudReads.now(RegistryMember.fraudNumberKey(number)).known().filter(f -> f.activeAt(now));
    }

    /**
     * The complete answer to {@link #activeFraudNumber}: from the near cache when it has the number,
     * otherwise from the partition owner. Never blocks; completes at once from the near cache, or on a
     * Hazelcast thread.
     */
    @Override
    public CompletionStage<Optional<FraudNumber>> activeFraudNumberEventually(PhoneNumber number, Instant now) {
        requireNonNull(number, "number");
        requireNonNull(now, "now");
        return fraudReads.eventually(RegistryMember.fraudNumberKey(number)).thenApply(f -> f.filter(x -> x.activeAt(now)));
    }

    /** Hot-path lookups that found the number outside the near cache and answered "unknown" (a metric). */
    public long coldLookups() {
        return cardReads.coldLookups() + fraudReads.coldLookups();
    }

    /** Hot-path lookups or background fills that failed, e.g. while the member shuts down (a metric). */
    public long lookupFailures() {
        return cardReads.failures() + fraudReads.failures();
    }

    // ---- warning numbers ------------------------------------------------------------------------

    @Override
    public Optional<WarningNumber> warningNumber(PhoneNumber number) {
        requireNonNull(number, "number");
        return Optional.ofNullable(warningNumbers.get(number.e164()));
    }

    @Override
    public Optional<WarningNumber> currentCard(PhoneNumber number, Instant now) {
        requireNonNull(number, "number");
        requireNonNull(now, "now");
        if (!brandWithoutQuorum) {
            quorum.ensure();
        }
        return warningNumber(number).filter(card -> card.brandableAt(now));
    }

    @Override
    public Change<WarningNumber> putWarningNumber(WarningNumber record, String actor) {
        requireNonNull(record, "record");
        requireNonNull(actor, "actor");
        quorum.ensure();
        String key = record.number().e164();
        WarningNumber stored = storedNow(warningNumbers, key);
        if (record.equals(stored)) {
            return Change.unchanged(stored);
        }
        WarningNumber before = withQuorum(() -> warningNumbers.put(key, record));
        return audited(actor, "PUT", WARNING_ENTITY, record.number(), before, record);
    }

    @Override
    public Optional<Change<WarningNumber>> revokeWarningNumber(PhoneNumber number, String actor) {
        requireNonNull(number, "number");
        requireNonNull(actor, "actor");
        String key = number.e164();
        quorum.ensure();
        while (true) {
            WarningNumber current = warningNumbers.get(key);
            if (current == null) {
                return Optional.empty();
            }
            if (current.revoked()) {
                return Optional.of(new Change<>(current, current));
            }
            WarningNumber revoked = current.revoke();
            // Compare-and-set, so a concurrent edit is neither lost nor revoked blindly.
            if (withQuorum(() -> warningNumbers.replace(key, current, revoked))) {
                return Optional.of(audited(actor, "REVOKE", WARNING_ENTITY, number, current, revoked));
            }
        }
    }

    @Override
    public Page<WarningNumber> listWarningNumbers(String cursor, int limit) {
        return listings.warningNumbers(cursor, limit);
    }

    // ---- fraud numbers --------------------------------------------------------------------------

    @Override
    public Optional<FraudNumber> fraudNumber(PhoneNumber number) {
        requireNonNull(number, "number");
        return Optional.ofNullable(fraudNumbers.get(RegistryMember.fraudNumberKey(number)));
    }

    @Override
    public Change<FraudNumber> putFraudNumber(FraudNumber record, String actor) {
        requireNonNull(record, "record");
        requireNonNull(actor, "actor");
        quorum.ensure();
        Long key = RegistryMember.fraudNumberKey(record.number());
        FraudNumber stored = storedNow(fraudNumbers, key);
        if (record.equals(stored)) {
            return Change.unchanged(stored);
        }
        FraudNumber before = withQuorum(() -> fraudNumbers.put(key, record));
        return audited(actor, "PUT", FRAUD_ENTITY, record.number(), before, record);
    }

    @Override
    public Optional<Change<FraudNumber>> removeFraudNumber(PhoneNumber number, String actor) {
        requireNonNull(number, "number");
        requireNonNull(actor, "actor");
        FraudNumber before = withQuorum(() -> fraudNumbers.remove(RegistryMember.fraudNumberKey(number)));
        if (before == null) {
            return Optional.empty();
        }
        return Optional.of(audited(actor, "DELETE", FRAUD_ENTITY, number, before, null));
    }

    @Override
    public Page<FraudNumber> listFraudNumbers(String cursor, int limit) {
        // The cursor is the E.164 text of the last number of the previous page, in any notation.
        String after = cursor == null || cursor.isEmpty() ? null : PhoneNumbers.parse(cursor).e164();
        return listings.fraudNumbers(after, limit);
    }

    @Override
    public long countFraudNumbers() {
        return listings.fraudNumberCount();
    }

    /**
     * Stores rows in batches of {@value #IMPORT_BATCH}, so memory holds a few batches whatever the input
     * size. With the database store, a batch is committed in one transaction first
     * ({@link CommitAheadStore#storeNew}) and then enters the map with {@code setAll}: one operation per
     * partition rather than one per row, no old value loaded, and this member's write-through finds the
     * rows already committed; the map write of one batch overlaps the commit of the next
     * ({@link ImportBatches}). Without the database store, {@code putAll} writes through.
     *
     * <p>When a batch fails, the batches counted as stored are in the database and the map, and nothing
     * after the failing batch was read. The batch that failed, and the one committed behind it, are in
     * neither, or (when a map write failed after the commit: a member stopping, a lost quorum) in the
     * database only, where the next full load or post-merge reload ({@link RegistryReload}) brings them
     * into the map. Audited twice under the import id: {@code IMPORT_START} and, also when it fails,
     * {@code IMPORT} with the counts; per-row before/after is not kept for bulk imports.
     */
    @Override
    public ImportResult importFraudNumbers(String importId, Iterator<FraudNumber> rows, String actor,
                                           ImportProgress progress) {
        requireNonNull(importId, "importId");
        requireNonNull(rows, "rows");
        requireNonNull(actor, "actor");
        requireNonNull(progress, "progress");
        quorum.ensure();
        audit.append(actor, "IMPORT_START", FRAUD_ENTITY, importId, null, null);
        ImportCounts counts = new ImportCounts();
        ImportBatches committed = fraudRows.map(r -> new ImportBatches(fraudNumbers, r, quorum, progress)).orElse(null);
        try {
            Map<Long, FraudNumber> batch = new LinkedHashMap<>();
            while (true) {
                FraudNumber record;
                try {
                    if (!rows.hasNext()) {
                        break;
                    }
                    counts.read++;
                    record = rows.next();
                } catch (IllegalArgumentException | NoSuchElementException e) {
                    counts.reject(e);
                    continue;
                }
                batch.put(RegistryMember.fraudNumberKey(record.number()), record);
                if (batch.size() == IMPORT_BATCH) {
                    storeBatch(batch, committed, counts, progress);
                    batch = new LinkedHashMap<>();
                }
            }
            storeBatch(batch, committed, counts, progress);
            if (committed != null) {
                counts.stored = committed.finish();
            }
        } catch (RuntimeException e) {
            if (committed != null) {
                counts.stored = committed.abandon();
            }
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("failed", ImportRecord.echo(counts.read, e.toString()));
            failed.put("result", counts.result());
            audit.append(actor, "IMPORT", FRAUD_ENTITY, importId, null, AuditJson.of(failed));
            throw e;
        }
        ImportResult result = counts.result();
        audit.append(actor, "IMPORT", FRAUD_ENTITY, importId, null, AuditJson.of(result));
        return result;
    }

    private void storeBatch(Map<Long, FraudNumber> batch, ImportBatches committed, ImportCounts counts,
                            ImportProgress progress) {
        if (batch.isEmpty()) {
            return;
        }
        if (committed != null) {
            committed.store(batch, counts.read, counts.rejected, counts.errors);
            return;
        }
        quorum.ensure();
        putAll(batch);
        counts.stored += batch.size();
        progress.batchStored(counts.read, counts.stored, counts.rejected, counts.errors);
    }

    /** The running counts of one import. */
    private static final class ImportCounts {
        long read;
        long stored;
        long rejected;
        final List<String> errors = new ArrayList<>();

        void reject(RuntimeException e) {
            rejected++;
            if (errors.size() < ImportRecord.MAX_ERRORS) {
                long line = e instanceof RejectedRow r ? r.line() : read;
                errors.add(ImportRecord.echo(line, e.getMessage()));
            }
        }

        ImportResult result() {
            return new ImportResult(read, stored, rejected, errors);
        }
    }

    // ---- family contacts ------------------------------------------------------------------------

    @Override
    public Optional<FamilyContacts> familyContacts(PhoneNumber subscriber) {
        requireNonNull(subscriber, "subscriber");
        return Optional.ofNullable(familyContacts.get(subscriber.e164()));
    }

    @Override
    public Change<FamilyContacts> putFamilyContacts(FamilyContacts record, String actor) {
        requireNonNull(record, "record");
        requireNonNull(actor, "actor");
        quorum.ensure();
        String key = record.subscriber().e164();
        FamilyContacts stored = storedNow(familyContacts, key);
        if (record.equals(stored)) {
            return Change.unchanged(stored);
        }
        FamilyContacts before = withQuorum(() -> familyContacts.put(key, record));
        return audited(actor, "PUT", FAMILY_ENTITY, record.subscriber(), before, record);
    }

    @Override
    public Optional<Change<FamilyContacts>> removeFamilyContacts(PhoneNumber subscriber, String actor) {
        requireNonNull(subscriber, "subscriber");
        requireNonNull(actor, "actor");
        FamilyContacts before = withQuorum(() -> familyContacts.remove(subscriber.e164()));
        if (before == null) {
            return Optional.empty();
        }
        return Optional.of(audited(actor, "DELETE", FAMILY_ENTITY, subscriber, before, null));
    }

    @Override
    public Page<FamilyContacts> listFamilyContacts(String cursor, int limit) {
        return listings.familyContacts(cursor, limit);
    }

    @Override
    public Page<AuditRecord> audit(long afterId, int limit) {
        return audit.page(afterId, limit);
    }

    private void putAll(Map<Long, FraudNumber> batch) {
        withQuorum(() -> {
            fraudNumbers.putAll(batch);
            return null;
        });
    }

    /**
     * Runs one map write if this member sees its quorum. A split-brain protection exception (none is
     * configured on the registry maps any more, see RegistryMember; kept for a cluster configured
     * by hand) is reported as the same {@link NoQuorumException}, since nothing was written.
     */
    private <T> T withQuorum(Supplier<T> write) {
        quorum.ensure();
        try {
            return write.get();
        } catch (RuntimeException e) {
            if (causedBySplitBrainProtection(e)) {
                throw new NoQuorumException(quorum.describe() + " (refused by the partition owner)", e);
            }
            throw e;
        }
    }

    private static boolean causedBySplitBrainProtection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SplitBrainProtectionException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value the partition owner holds now, bypassing this member's near cache (which may not have
     * seen a change made on another member yet): a put compares against it to skip an identical write.
     */
    private static <K, V> V storedNow(IMap<K, V> map, K key) {
        EntryView<K, V> view = map.getEntryView(key);
        return view == null ? null : view.getValue();
    }

    private <T> Change<T> audited(String actor, String action, String entity, PhoneNumber key, T before, T after) {
        audit.append(actor, action, entity, key.e164(), AuditJson.of(before), AuditJson.of(after));
        return new Change<>(before, after);
    }
}
