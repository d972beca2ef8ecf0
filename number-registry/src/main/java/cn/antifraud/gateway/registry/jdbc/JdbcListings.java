package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.registry.store.RegistryListings;

/**
 * {@link RegistryListings} from the registry's tables: keyset pages on each table's primary key
 * ({@link TableStore#page}). The database holds every acknowledged write (the maps write through
 * before answering), so a listing from it is as current as one from the maps, without scanning them.
 */
final class JdbcListings implements RegistryListings {
    private final WarningNumberStore warningNumbers;
    private final FraudNumberStore fraudNumbers;
    private final FamilyContactsStore familyContacts;

    JdbcListings(WarningNumberStore warningNumbers, FraudNumberStore fraudNumbers, FamilyContactsStore familyContacts) {
        this.warningNumbers = requireNonNull(warningNumbers, "warningNumbers");
        this.fraudNumbers = requireNonNull(fraudNumbers, "fraudNumbers");
        this.familyContacts = requireNonNull(familyContacts, "familyContacts");
    }

    @Override
    public Page<WarningNumber> warningNumbers(String afterKey, int limit) {
        return warningNumbers.page(afterKey, limit);
    }

    @Override
    public Page<FraudNumber> fraudNumbers(String afterKey, int limit) {
        return fraudNumbers.page(afterKey, limit);
    }

    @Override
    public Page<FamilyContacts> familyContacts(String afterKey, int limit) {
        return familyContacts.page(afterKey, limit);
    }

    @Override
    public long fraudNumberCount() {
        return fraudNumbers.count();
    }
}
