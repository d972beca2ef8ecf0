package cn.antifraud.gateway.registry.store;

import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.registry.work.DurableWorkEntries;
import cn.antifraud.gateway.registry.work.WorkStoreSpec;
import com.hazelcast.map.MapStore;
import java.util.OptionalLong;

/**
 * The durable stores behind the registry's maps. Keys are canonical E.164 strings
 * ({@link cn.antifraud.gateway.registry.PhoneNumber#e164()}). Every store is write-through: a map
 * write returns only once the row is in the database, so a full-cluster restart loses nothing.
 */
public interface RegistryStores extends AutoCloseable {

    MapStore<String, WarningNumber> warningNumbers();

    MapStore<String, FraudNumber> fraudNumbers();

    MapStore<String, FamilyContacts> familyContacts();

    /**
     * The store of a work map named {@code durable.NAME} (warning jobs, SMS jobs, contact events):
     * String keys, values serialised as JSON with their class recorded, one table for all such maps.
     */
    MapStore<String, Object> durable(String mapName);

    /**
     * The database rows of a durable work store ({@link WorkStoreSpec#durable()}).
     *
     * @throws UnsupportedOperationException when these stores have no database for work stores
     */
    default DurableWorkEntries work(WorkStoreSpec<?> spec) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no work stores (" + spec + ")");
    }

    AuditLog audit();

    /**
     * How many fraud numbers the database holds, when the store can count them cheaply; the member
     * compares it with the map after its initial load, because Hazelcast carries on with a partly
     * loaded map when some {@code loadAll} calls fail.
     */
    default OptionalLong fraudNumberRows() {
        return OptionalLong.empty();
    }

    /** Releases the connection pool. */
    @Override
    void close();
}
