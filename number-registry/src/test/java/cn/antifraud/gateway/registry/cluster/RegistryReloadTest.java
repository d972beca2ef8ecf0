package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.WarningNumber;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reload after a merge on one real member: the maps end equal to the database whichever way they
 * differed, and the database is not written. Both ways of reading the map are run: the whole map in
 * one call, and partition by partition (what a map of ten million entries gets).
 */
class RegistryReloadTest {

    @ParameterizedTest(name = "whole map at once up to {0} entries")
    @ValueSource(ints = {0, RegistryReload.WHOLE_MAP_AT_ONCE})
    void theMapsEndEqualToTheDatabase(int wholeMapAtOnce) {
        MemoryStores stores = new MemoryStores();
        RegistryMember member = TestClusters.start(TestClusters.configs(1), stores).get(0);
        try {
            for (int i = 0; i < 50; i++) {
                FraudNumber f = Records.fraud("+86 170 0000 " + String.format("%04d", i));
                member.fraudNumbers().put(RegistryMember.fraudNumberKey(f.number()), f);
            }
            WarningNumber card = Records.card("+86 10 9611 0001", "反诈中心");
            member.warningNumbers().put(card.number().e164(), card);

            // A row only in the database, an entry only in the map, a value that differs, a revocation the map missed.
            FraudNumber rowOnly = Records.fraud("+86 170 0000 9001");
            stores.fraudNumbers().rows.put(rowOnly.number().e164(), rowOnly);
            FraudNumber entryOnly = Records.fraud("+86 170 0000 9002");
            member.fraudNumbers().putTransient(RegistryMember.fraudNumberKey(entryOnly.number()), entryOnly, 0, TimeUnit.SECONDS);
            FraudNumber changed = new FraudNumber(PhoneNumbers.parse("+86 170 0000 0007"), FraudType.FAKE_INVESTMENT,
                    "CASE-CHANGED-IN-DB", Records.T0, null, true);
            stores.fraudNumbers().rows.put(changed.number().e164(), changed);
            WarningNumber revoked = card.revoke();
            stores.warningNumbers().rows.put(card.number().e164(), revoked);
            int rowsBefore = stores.fraudNumbers().rows.size();

            List<RegistryReload.Outcome> outcomes = new RegistryReload(member, stores, wholeMapAtOnce).run();

            assertEquals(rowOnly, member.fraudNumbers().get(RegistryMember.fraudNumberKey(rowOnly.number())));
            assertNull(member.fraudNumbers().get(RegistryMember.fraudNumberKey(entryOnly.number())));
            assertEquals(changed, member.fraudNumbers().get(RegistryMember.fraudNumberKey(changed.number())));
            assertTrue(member.warningNumbers().get(card.number().e164()).revoked());
            assertEquals(rowsBefore, stores.fraudNumbers().rows.size(), "the database is read, never written");
            assertFalse(stores.fraudNumbers().rows.containsKey(entryOnly.number().e164()));
            assertEquals(51, member.fraudNumbers().size());
            RegistryReload.Outcome fraud = outcomes.get(1);
            assertEquals(1, fraud.loaded());
            assertEquals(1, fraud.replaced());
            assertEquals(1, fraud.evicted());
            assertEquals(1, outcomes.get(0).replaced(), "the revocation");
        } finally {
            member.close();
        }
    }
}
