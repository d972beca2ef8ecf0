package cn.antifraud.gateway.smpp;

import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.PhoneNumber;
import java.util.Optional;

/**
 * Where tier-2 warnings find a subscriber's family contacts: {@code registry::familyContacts} of the
 * number registry. Called on the gateway's executor, so it may block.
 */
@FunctionalInterface
public interface FamilyContactSource {
    Optional<FamilyContacts> familyContacts(PhoneNumber subscriber);
}
