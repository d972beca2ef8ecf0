package cn.antifraud.gateway.registry;

import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;

/**
 * The registry as the admin API and config loader see it: authorised, audited writes and paged
 * reads of warning numbers, fraud numbers and family contacts. Every write is written through to
 * the database before it returns and is recorded in the audit log with its actor.
 *
 * <p>All methods block (cluster round trips, JDBC): call them from a bounded executor, never from a
 * Netty event loop. The hot-path lookups it extends do not block.
 */
public interface NumberRegistry extends CallerCardLookup, FraudNumberLookup {

    Optional<WarningNumber> warningNumber(PhoneNumber number);

    /**
     * The card a handset may fetch and display now ({@code GET /cards/{number}}, RFC 9796 jCard): a
     * blocking read of a card that is brandable at {@code now}. Like {@link #brandableCard}, it will not
     * vouch for a card it cannot confirm is current: while this member lacks its cluster quorum it
     * throws {@link NoQuorumException} (unless configured to serve last-known cards).
     */
    Optional<WarningNumber> currentCard(PhoneNumber number, Instant now);

    Change<WarningNumber> putWarningNumber(WarningNumber record, String actor);

    /** Marks the number revoked and keeps the record; empty when it was never registered. */
    Optional<Change<WarningNumber>> revokeWarningNumber(PhoneNumber number, String actor);

    /** Warning numbers in key order after {@code cursor} (the last key of the previous page; null for the first). */
    Page<WarningNumber> listWarningNumbers(String cursor, int limit);

    Optional<FraudNumber> fraudNumber(PhoneNumber number);

    Change<FraudNumber> putFraudNumber(FraudNumber record, String actor);

    Optional<Change<FraudNumber>> removeFraudNumber(PhoneNumber number, String actor);

    Page<FraudNumber> listFraudNumbers(String cursor, int limit);

    /** How many fraud numbers are listed (a database count: exact, and may take a second at 10 million). */
    long countFraudNumbers();

    /**
     * Stores fraud numbers as they are read, in batches, without holding the whole input in
     * memory. Rows that fail validation are counted and skipped; the iterator may throw
     * {@link IllegalArgumentException} (better {@link RejectedRow}, with its line) for a bad row,
     * which is counted the same way. Audited at start and at the end (also when it fails), under
     * {@code importId}; {@code progress} hears the counts after every stored batch.
     */
    ImportResult importFraudNumbers(String importId, Iterator<FraudNumber> rows, String actor, ImportProgress progress);

    /** An import without progress reports, audited under the id {@code bulk}. */
    default ImportResult importFraudNumbers(Iterator<FraudNumber> rows, String actor) {
        return importFraudNumbers("bulk", rows, actor, ImportProgress.NONE);
    }

    Optional<FamilyContacts> familyContacts(PhoneNumber subscriber);

    Change<FamilyContacts> putFamilyContacts(FamilyContacts record, String actor);

    Optional<Change<FamilyContacts>> removeFamilyContacts(PhoneNumber subscriber, String actor);

    Page<FamilyContacts> listFamilyContacts(String cursor, int limit);

    /** The audit log, oldest first, from the record after {@code afterId} (0 for the start). */
    Page<AuditRecord> audit(long afterId, int limit);
}
