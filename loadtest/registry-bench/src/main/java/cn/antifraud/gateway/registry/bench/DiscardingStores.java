package cn.antifraud.gateway.registry.bench;

import cn.antifraud.gateway.registry.AuditRecord;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.registry.store.AuditLog;
import cn.antifraud.gateway.registry.store.RegistryStores;
import com.hazelcast.map.MapStore;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores that keep nothing, so that the benchmarks measure the cluster (heap, near cache) rather than
 * a database. The database side is measured by the JDBC reload benchmark.
 */
final class DiscardingStores implements RegistryStores {

    private final AtomicLong auditIds = new AtomicLong();

    @Override
    public MapStore<String, WarningNumber> warningNumbers() {
        return new Discarding<>();
    }

    @Override
    public MapStore<String, FraudNumber> fraudNumbers() {
        return new Discarding<>();
    }

    @Override
    public MapStore<String, FamilyContacts> familyContacts() {
        return new Discarding<>();
    }

    @Override
    public MapStore<String, Object> durable(String mapName) {
        return new Discarding<>();
    }

    @Override
    public AuditLog audit() {
        return new AuditLog() {
            @Override
            public AuditRecord append(String actor, String action, String entity, String key, String before, String after) {
                return new AuditRecord(auditIds.incrementAndGet(), Instant.now(), actor, action, entity, key, before, after);
            }

            @Override
            public Page<AuditRecord> page(long afterId, int limit) {
                return new Page<>(List.of(), null);
            }
        };
    }

    @Override
    public void close() {
        // Nothing was opened.
    }

    /** Accepts every write and loads nothing. */
    private static final class Discarding<V> implements MapStore<String, V> {
        @Override
        public void store(String key, V value) {
            // Discarded on purpose: see the class comment.
        }

        @Override
        public void storeAll(Map<String, V> map) {
            // Discarded on purpose: see the class comment.
        }

        @Override
        public void delete(String key) {
            // Nothing stored, nothing to delete.
        }

        @Override
        public void deleteAll(Collection<String> keys) {
            // Nothing stored, nothing to delete.
        }

        @Override
        public V load(String key) {
            return null;
        }

        @Override
        public Map<String, V> loadAll(Collection<String> keys) {
            return Map.of();
        }

        @Override
        public Iterable<String> loadAllKeys() {
            return List.of();
        }
    }
}
