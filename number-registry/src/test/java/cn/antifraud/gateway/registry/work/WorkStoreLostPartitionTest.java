package cn.antifraud.gateway.registry.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.cluster.RegistryMember;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable work store answers a miss from cluster memory while memory holds every record, and reads the
 * database once Hazelcast lost a partition of it: three real members with one backup each, two killed at
 * once, so every partition whose two replicas were on those two is lost.
 */
class WorkStoreLostPartitionTest {
    private static final WorkStoreSpec<String> CLAIMS = WorkStoreSpec.durable("claims", WorkCodec.utf8());
    private static final int RECORDS = 600;
    /** Only a hang guard: the loss is reported within seconds. */
    private static final long HANG_GUARD_MILLIS = TimeUnit.MINUTES.toMillis(3);

    @TempDir
    Path dataDir;
    private JdbcRegistryStores stores;
    private List<RegistryMember> members = List.of();

    @BeforeEach
    void start() {
        stores = JdbcRegistryStores.open(DatabaseConfig.h2File(dataDir).poolSize(20).build());
        members = TestMembers.start(3, stores, List.of(CLAIMS));
        TestMembers.awaitSafe(members, HANG_GUARD_MILLIS);
    }

    @AfterEach
    void stop() {
        members.forEach(RegistryMember::close);
        stores.close();
    }

    @Test
    void aMissReadsTheDatabaseOnlyAfterAPartitionWasLost() throws Exception {
        // The survivor is the member that runs the map's key loading (the owner of the map name's partition):
        // had it died, Hazelcast would load the whole map again on another member, lost records and all, and
        // nothing here would depend on the misses.
        var loaderOwner = members.get(0).hazelcast().getPartitionService().getPartition(CLAIMS.mapName()).getOwner();
        RegistryMember kept = members.stream().filter(m -> m.hazelcast().getCluster().getLocalMember().equals(loaderOwner))
                .findFirst().orElseThrow();
        List<RegistryMember> killed = members.stream().filter(m -> m != kept).toList();
        WorkStore<String> survivor = kept.workStores().open(CLAIMS);
        Map<String, String> records = new LinkedHashMap<>();
        for (int i = 0; i < RECORDS; i++) {
            records.put("r" + i, "record " + i);
        }
        killed.get(0).workStores().open(CLAIMS).createAll(records).join();
        // A row the cluster never wrote: while memory is complete a miss does not query, so it stays unseen.
        insertRowBehindTheCluster("behind", "written by hand");
        assertNull(survivor.get("behind"), "a miss is answered from memory while no partition was lost");

        Thread[] kills = {kill(killed.get(0)), kill(killed.get(1))};
        for (Thread k : kills) {
            k.join(HANG_GUARD_MILLIS);
        }
        long deadline = System.currentTimeMillis() + HANG_GUARD_MILLIS;
        while (kept.hazelcast().getCluster().getMembers().size() > 1 || !kept.hazelcast().getPartitionService().isClusterSafe()) {
            assertTrue(System.currentTimeMillis() < deadline, "the survivor never settled alone");
            Thread.sleep(50);
        }
        assertTrue(survivor.localKeys().size() < RECORDS,
                "two of three members killed at once lose the partitions they held both replicas of");

        // Each lookup of a lost record reads its row, once the loss was reported to the store.
        for (Map.Entry<String, String> r : records.entrySet()) {
            while (survivor.get(r.getKey()) == null) {
                assertTrue(System.currentTimeMillis() < deadline, r.getKey() + " never came back from the database");
                Thread.sleep(50);
            }
            assertEquals(r.getValue(), survivor.get(r.getKey()));
        }
        assertEquals(RECORDS, survivor.localKeys().size(), "every record is in cluster memory again");
        assertEquals("written by hand", survivor.get("behind"), "misses read the database after the loss");
    }

    private static Thread kill(RegistryMember member) {
        Thread t = new Thread(() -> member.hazelcast().getLifecycleService().terminate(), "kill-" + member);
        t.start();
        return t;
    }

    private void insertRowBehindTheCluster(String key, String value) throws Exception {
        try (Connection c = stores.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("INSERT INTO work_entry (store_name, entry_key, value_bytes, updated_at)"
                     + " VALUES (?, ?, ?, ?)")) {
            p.setString(1, CLAIMS.name());
            p.setString(2, key);
            p.setBytes(3, WorkCodec.utf8().encode(value));
            p.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
            p.executeUpdate();
        }
    }
}
