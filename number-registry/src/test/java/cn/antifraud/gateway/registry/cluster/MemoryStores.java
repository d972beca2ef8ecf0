package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.AuditRecord;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.registry.store.AuditLog;
import cn.antifraud.gateway.registry.store.RegistryStores;
import com.hazelcast.map.MapStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database that lives in the test JVM, outliving the members that write through to it, for tests
 * that are about the cluster (propagation, backups, restarts) rather than about SQL. The durability
 * tests against H2 use the JDBC stores of {@code cn.antifraud.gateway.registry.jdbc}.
 */
final class MemoryStores implements RegistryStores {

    private final Table<WarningNumber> warningNumbers = new Table<>();
    private final Table<FraudNumber> fraudNumbers = new Table<>();
    private final Table<FamilyContacts> familyContacts = new Table<>();
    private final Map<String, Table<Object>> durable = new ConcurrentHashMap<>();
    private final Audit audit = new Audit();

    @Override
    public Table<WarningNumber> warningNumbers() {
        return warningNumbers;
    }

    @Override
    public Table<FraudNumber> fraudNumbers() {
        return fraudNumbers;
    }

    @Override
    public Table<FamilyContacts> familyContacts() {
        return familyContacts;
    }

    @Override
    public Table<Object> durable(String mapName) {
        return durable.computeIfAbsent(mapName, n -> new Table<>());
    }

    @Override
    public Audit audit() {
        return audit;
    }

    @Override
    public void close() {
        // Nothing to release: the rows live as long as the test holds this object.
    }

    /** One table: rows by key, and a count of single-key loads (the hot path must not cause any). */
    static final class Table<V> implements MapStore<String, V> {
        final Map<String, V> rows = new ConcurrentSkipListMap<>();
        final AtomicInteger singleLoads = new AtomicInteger();
        /** While set, bulk loads wait for it: a database that stalls a reload (SplitBrainTest). */
        volatile java.util.concurrent.CountDownLatch bulkLoadGate;

        private void passGate() {
            java.util.concurrent.CountDownLatch gate = bulkLoadGate;
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public V load(String key) {
            singleLoads.incrementAndGet();
            return rows.get(key);
        }

        @Override
        public Map<String, V> loadAll(Collection<String> keys) {
            passGate();
            Map<String, V> found = new HashMap<>();
            keys.forEach(k -> {
                V v = rows.get(k);
                if (v != null) {
                    found.put(k, v);
                }
            });
            return found;
        }

        @Override
        public Iterable<String> loadAllKeys() {
            passGate();
            return new ArrayList<>(rows.keySet());
        }

        @Override
        public void store(String key, V value) {
            rows.put(key, value);
        }

        @Override
        public void storeAll(Map<String, V> map) {
            rows.putAll(map);
        }

        @Override
        public void delete(String key) {
            rows.remove(key);
        }

        @Override
        public void deleteAll(Collection<String> keys) {
            keys.forEach(rows::remove);
        }
    }

    /** Append-only audit rows. */
    static final class Audit implements AuditLog {
        final List<AuditRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public synchronized AuditRecord append(String actor, String action, String entity, String key,
                                               String before, String after) {
            AuditRecord r = new AuditRecord(records.size() + 1L, Instant.now(), actor, action, entity, key, before, after);
            records.add(r);
            return r;
        }

        @Override
        public Page<AuditRecord> page(long afterId, int limit) {
            List<AuditRecord> out = records.stream().filter(r -> r.id() > afterId).limit(limit).toList();
            String next = out.size() == limit ? Long.toString(out.get(out.size() - 1).id()) : null;
            return new Page<>(out, next);
        }
    }
}
