package cn.antifraud.gateway.registry.work;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.cluster.RegistryMember;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.JdbcRegistryStores;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable work store on two real registry members sharing one database (H2 file): a member killed
 * loses no record (backups and the database hold them), and a compare-and-set transition run on both
 * members at once is applied by exactly one, also when each member computes it first from its own last
 * write ({@link WorkStoreSpec#rememberingOwnWrites}), which the other member's writes make stale.
 */
class WorkStoreClusterTest {
    /** Both remember their own writes, as the jobs do: a member's copy goes stale whenever the other writes. */
    private static final WorkStoreSpec<String> CLAIMS = WorkStoreSpec.durable("claims", WorkCodec.utf8()).rememberingOwnWrites(1000);
    private static final WorkStoreSpec<Long> COUNTERS = WorkStoreSpec.durable("counters", LongCodec.INSTANCE)
            .rememberingOwnWrites(1000);
    /** Generous: only a hang guard, never a measurement. */
    private static final long HANG_GUARD_SECONDS = 300;

    @TempDir
    Path dataDir;
    private JdbcRegistryStores stores;
    private List<RegistryMember> members = List.of();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void start() {
        stores = JdbcRegistryStores.open(DatabaseConfig.h2File(dataDir).poolSize(20).build());
        members = TestMembers.start(2, stores, List.of(CLAIMS, COUNTERS));
        TestMembers.awaitSafe(members, TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
    }

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        members.forEach(RegistryMember::close);
        stores.close();
    }

    @Test
    void aKilledMemberLosesNoRecord() throws Exception {
        assertEquals(2, members.get(0).hazelcast().getCluster().getMembers().size());
        WorkStore<String> onFirst = members.get(0).workStores().open(CLAIMS);
        WorkStore<String> onSecond = members.get(1).workStores().open(CLAIMS);
        Map<String, String> batch = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            batch.put("b" + i, "batch " + i);
        }
        onSecond.createAll(batch).join();
        for (int i = 0; i < 100; i++) {
            onSecond.create("s" + i, "single " + i).join();
        }
        assertTrue(onSecond.localKeys().size() > 0 && onFirst.localKeys().size() > 0, "both members own records");

        members.get(1).hazelcast().getLifecycleService().terminate();

        for (int i = 0; i < 400; i++) {
            assertEquals("batch " + i, onFirst.get("b" + i));
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("single " + i, onFirst.get("s" + i));
        }
        assertEquals(500, onFirst.localKeys().size(), "the survivor owns every record now");
        try (Connection c = stores.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM work_entry WHERE store_name = 'claims'")) {
            rs.next();
            assertEquals(500, rs.getInt(1), "and every record is in the database");
        }
    }

    @Test
    void aClaimRunOnBothMembersAtOnceIsWonByExactlyOne() throws Exception {
        WorkStore<String> first = members.get(0).workStores().open(CLAIMS);
        WorkStore<String> second = members.get(1).workStores().open(CLAIMS);
        int keys = 200;
        Map<String, String> free = new LinkedHashMap<>();
        for (int i = 0; i < keys; i++) {
            free.put("job" + i, "free");
        }
        first.createAll(free).join();
        Future<Set<String>> a = threads.submit(claimAll(first, "first", keys));
        Future<Set<String>> b = threads.submit(claimAll(second, "second", keys));
        Set<String> wonByFirst = a.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        Set<String> wonBySecond = b.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);

        Set<String> both = new HashSet<>(wonByFirst);
        both.retainAll(wonBySecond);
        assertTrue(both.isEmpty(), "claimed by both: " + both);
        assertEquals(keys, wonByFirst.size() + wonBySecond.size(), "every record claimed once");
        for (String key : wonByFirst) {
            assertEquals("first", second.get(key));
        }
        for (String key : wonBySecond) {
            assertEquals("second", first.get(key));
        }
    }

    @Test
    void incrementsFromBothMembersAreAllCounted() throws Exception {
        WorkStore<Long> first = members.get(0).workStores().open(COUNTERS);
        WorkStore<Long> second = members.get(1).workStores().open(COUNTERS);
        first.create("n", 0L).join();
        List<Future<?>> writers = new ArrayList<>();
        for (WorkStore<Long> store : List.of(first, second, first, second)) {
            writers.add(threads.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    store.update("n", v -> new Transition.Result<>(v + 1, null));
                }
            }));
        }
        for (Future<?> w : writers) {
            w.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        }
        assertEquals(Long.valueOf(200), second.get("n"));
        try (Connection c = stores.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value_bytes FROM work_entry WHERE store_name = 'counters' AND entry_key = 'n'")) {
            assertTrue(rs.next());
            assertEquals(200L, LongCodec.INSTANCE.decode(rs.getBytes(1)), "the database holds the last increment, whoever committed last");
        }
    }

    /** A bulk read over keys on both members (grouped by partition) returns each record that exists, and only those. */
    @Test
    void aBulkReadReturnsEveryRecordOnEitherMemberAndNoMissingOne() {
        WorkStore<Long> first = members.get(0).workStores().open(COUNTERS);
        WorkStore<Long> second = members.get(1).workStores().open(COUNTERS);
        Map<String, Long> written = new LinkedHashMap<>();
        for (long i = 0; i < 600; i++) {
            written.put("bulk-" + i, i * 7);
        }
        first.createAll(written).join();
        List<String> asked = new ArrayList<>(written.keySet());
        for (int i = 0; i < 50; i++) {
            asked.add("never-written-" + i);
        }
        java.util.Collections.shuffle(asked, new java.util.Random(11));
        assertEquals(written, second.getAll(asked), "every record written, read in bulk from the other member");
        assertEquals(Map.of(), second.getAll(List.of()), "nothing asked, nothing read");
    }

    @Test
    void aTransitionOnTheMemberThatWroteLastDoesNotReadTheRecordFirst() {
        WorkStore<Long> first = members.get(0).workStores().open(COUNTERS);
        IMap<String, byte[]> map = members.get(0).hazelcast().getMap("work.counters");
        first.create("n", 0L).join();
        long readsBefore = reads(map);
        for (int i = 0; i < 20; i++) {
            first.update("n", v -> new Transition.Result<>(v + 1, null));
        }
        assertEquals(Long.valueOf(20), first.get("n"));
        // Counted on both members (a key's owner may be either), the final check's get included: one read.
        assertEquals(1, reads(map) - readsBefore, "twenty transitions after this member's own writes read nothing first");
    }

    @Test
    void aStaleOwnCopyIsNeverTheAnswer() {
        WorkStore<String> first = members.get(0).workStores().open(CLAIMS);
        WorkStore<String> second = members.get(1).workStores().open(CLAIMS);
        first.create("job", "taken by first").join();
        // The second member frees it: the first member's own copy ("taken by first") is stale now.
        assertEquals("was taken", second.update("job", v -> new Transition.Result<>("free", "was " + v.split(" ")[0])));

        // On its stale copy this claim changes nothing ("not free"); that answer must come from the stored record.
        boolean claimed = first.update("job", v -> "free".equals(v)
                ? new Transition.Result<>("first again", true) : Transition.Result.unchanged(v, false));
        assertTrue(claimed, "the claim saw the record as stored, not the member's stale copy");
        assertEquals("first again", second.get("job"));

        // And a change computed on a stale copy is not written over the newer record.
        assertEquals("second", second.update("job", v -> new Transition.Result<>("second", "second")));
        assertEquals("second then first", first.update("job", v -> new Transition.Result<>(v + " then first", v + " then first")));
        assertEquals("second then first", second.get("job"));
    }

    /**
     * The writes sent to a key's owner and their outcomes travel as Hazelcast identified data (a class id and
     * the fields), not Java serialization (class descriptors and object streams per call), and read back alike;
     * and a put, put-if-absent and removal of keys the other member owns answer what was there.
     */
    @Test
    void writesToAnotherMembersKeysTravelAsIdentifiedData() {
        SerializationService serialization = ((SerializationServiceSupport) members.get(0).hazelcast()).getSerializationService();
        VersionedWrite.Outcome outcome = new VersionedWrite.Outcome(42, new byte[] {1, 2, 3});
        Data data = serialization.toData(outcome);
        assertEquals(SerializationConstants.CONSTANT_TYPE_DATA_SERIALIZABLE, data.getType());
        VersionedWrite.Outcome back = serialization.toObject(data);
        assertEquals(42, back.written());
        assertArrayEquals(new byte[] {1, 2, 3}, back.before());
        assertEquals(SerializationConstants.CONSTANT_TYPE_DATA_SERIALIZABLE,
                serialization.toData(VersionedWrite.set(new byte[] {9}, 1000, 7)).getType());

        WorkStore<String> onFirst = members.get(0).workStores().open(CLAIMS);
        List<String> remote = new ArrayList<>();
        for (int i = 0; remote.size() < 20 && i < 10_000; i++) {
            String key = "remote" + i;
            onFirst.put(key, "v1", Duration.ZERO);
            if (members.get(1).hazelcast().getPartitionService().getPartition(key).getOwner().localMember()) {
                remote.add(key);
            }
        }
        assertEquals(20, remote.size(), "keys owned by the second member");
        for (String key : remote) {
            assertEquals("v1", onFirst.put(key, "v2", Duration.ZERO));
            assertEquals("v2", onFirst.putIfAbsent(key, "v3", Duration.ZERO));
            assertEquals("v2", onFirst.remove(key));
            assertNull(onFirst.putIfAbsent(key, "v4", Duration.ZERO));
            assertEquals("v4", members.get(1).workStores().open(CLAIMS).get(key));
        }
    }

    private long reads(IMap<String, byte[]> anyMember) {
        long gets = 0;
        for (RegistryMember member : members) {
            IMap<String, byte[]> map = member.hazelcast().getMap(anyMember.getName());
            gets += map.getLocalMapStats().getGetOperationCount();
        }
        return gets;
    }

    /** Claims every free record for {@code owner}; returns the keys this caller's transition won. */
    private static Callable<Set<String>> claimAll(WorkStore<String> store, String owner, int keys) {
        return () -> {
            Set<String> won = new HashSet<>();
            for (int i = 0; i < keys; i++) {
                boolean mine = store.update("job" + i, v -> "free".equals(v)
                        ? new Transition.Result<>(owner, true) : Transition.Result.unchanged(v, false));
                if (mine) {
                    won.add("job" + i);
                }
            }
            return won;
        };
    }
}
