package cn.antifraud.gateway.registry.work;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * Hazelcast's {@link IdentifiedDataSerializable} factory for what the work stores send to a key's owner and
 * back: a class id and the fields, where Java serialization would write class descriptors and build a pair of
 * object streams per call. Every member registers it ({@link HazelcastWorkStores#configure}); the ids are part
 * of the members' wire format, so an id once used is never given to another class.
 */
final class WorkSerialization implements DataSerializableFactory {
    /** Positive: Hazelcast's own factories use negative ids. */
    static final int FACTORY_ID = 12381;
    static final int VERSIONED_WRITE = 1;
    static final int OUTCOME = 2;

    static void register(SerializationConfig serialization) {
        serialization.addDataSerializableFactory(FACTORY_ID, new WorkSerialization());
    }

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case VERSIONED_WRITE -> new VersionedWrite();
            case OUTCOME -> new VersionedWrite.Outcome();
            // Hazelcast reports a null as "no class for this id" with the factory and type ids.
            default -> null;
        };
    }
}
