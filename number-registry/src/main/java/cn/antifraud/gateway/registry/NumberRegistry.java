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

    Page<WarningNumber> listWarningNumbers(String cursor, int limit);

    Optional<FraudNumber> fraudNumber(PhoneNumber number);

    Change<FraudNumber> putFraudNumber(FraudNumber record, String actor);

    Optional<Change<FraudNumber>> removeFraudNumber(PhoneNumber number, String actor);

    Page<FraudNumber> listFraudNumbers(String cursor, int limit);

    /**
     * Stores fraud numbers as they are read, in batches, without holding the whole input in
     * memory. Rows that fail validation are counted and skipped; the iterator may throw
     * {@link IllegalArgumentException} for a bad row, which is counted the same way.
     */
    ImportResult importFraudNumbers(Iterator<FraudNumber> rows, String actor);

    Optional<FamilyContacts> familyContacts(PhoneNumber subscriber);

    Change<FamilyContacts> putFamilyContacts(FamilyContacts record, String actor);

    Optional<Change<FamilyContacts>> removeFamilyContacts(PhoneNumber subscriber, String actor);

    Page<FamilyContacts> listFamilyContacts(String cursor, int limit);

    /** The audit log, oldest first, from the record after {@code afterId} (0 for the start). */
    Page<AuditRecord> audit(long afterId, int limit);
}
