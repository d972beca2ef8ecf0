package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * A value of the gateway's small durable maps: the message-id index ("job#part"), a parked receipt's
 * state, a dedup entry's warning id. A record, not a bare String, because the registry's write-through
 * store keeps only the gateway's own record classes in {@code durable.*} maps.
 *
 * @param value the string it carries
 */
public record StoredTarget(String value) implements Serializable {
    public StoredTarget {
        requireNonNull(value, "value");
    }

    static String valueOf(StoredTarget t) {
        return t == null ? null : t.value();
    }
}
