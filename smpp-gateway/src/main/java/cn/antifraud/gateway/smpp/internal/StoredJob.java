package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * A job's value in {@code durable.sms-jobs}: the {@link JobCodec} bytes in a gateway record, because the
 * registry's write-through store keeps only the gateway's own record classes (as JSON) in {@code durable.*} maps.
 *
 * @param data the encoded job
 */
public record StoredJob(byte[] data) implements Serializable {
    public StoredJob {
        requireNonNull(data, "data");
    }
}
