package cn.antifraud.gateway.registry.store;

import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.WarningNumber;

/**
 * Paged listings of the registry in key order (canonical E.164 text), read from where the keys are
 * indexed: keyset pagination, so any page costs one index range scan of {@code limit} rows whatever
 * the table size and however deep the cursor. {@code afterKey} is the last key of the previous page,
 * null for the first; a page's {@code nextCursor} is its last key when more rows follow.
 * Blocking: call off event loops.
 */
public interface RegistryListings {

    Page<WarningNumber> warningNumbers(String afterKey, int limit);

    Page<FraudNumber> fraudNumbers(String afterKey, int limit);

    Page<FamilyContacts> familyContacts(String afterKey, int limit);

    /** The number of fraud numbers stored. */
    long fraudNumberCount();
}
