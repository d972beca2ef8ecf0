package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.registry.store.RegistryListings;

/**
 * Listings from the member's maps ({@link KeyPages}: every member sorts its partitions), for
 * registries without a database behind them (benchmarks, in-memory tests). A page costs a pass over
 * every entry, so with a database the registry lists from its index instead
 * ({@code JdbcRegistryStores.listings()}).
 */
final class MapListings implements RegistryListings {
    private final RegistryMember member;

    MapListings(RegistryMember member) {
        this.member = requireNonNull(member, "member");
    }

    @Override
    public Page<WarningNumber> warningNumbers(String afterKey, int limit) {
        return KeyPages.page(member.warningNumbers(), afterKey, limit);
    }

    @Override
    public Page<FraudNumber> fraudNumbers(String afterKey, int limit) {
        // The cursor is the E.164 text of the last number of the previous page, in any notation.
        return KeyPages.page(member.fraudNumbers(), afterKey, limit,
                text -> RegistryMember.fraudNumberKey(PhoneNumbers.parse(text)), E164Digits::e164);
    }

    @Override
    public Page<FamilyContacts> familyContacts(String afterKey, int limit) {
        return KeyPages.page(member.familyContacts(), afterKey, limit);
    }

    @Override
    public long fraudNumberCount() {
        return member.fraudNumbers().size();
    }
}
