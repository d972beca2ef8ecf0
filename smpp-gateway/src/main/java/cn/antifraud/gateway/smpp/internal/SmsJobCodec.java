package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.registry.work.LegacyJson;
import cn.antifraud.gateway.registry.work.WorkCodec;
import cn.antifraud.gateway.smpp.SmsJob;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The job store's codec: {@link JobCodec}'s bytes, stored as they are. A row of the previous release's
 * {@code durable.sms-jobs} map held the same bytes as base64 inside a JSON wrapper ({@code {"data":"..."}});
 * those are unwrapped once, when the store takes the map over, and read as JobCodec version 1 or 2.
 */
final class SmsJobCodec implements WorkCodec<SmsJob> {
    static final SmsJobCodec INSTANCE = new SmsJobCodec();

    private SmsJobCodec() {
    }

    @Override
    public byte[] encode(SmsJob job) {
        return JobCodec.encode(job);
    }

    @Override
    public SmsJob decode(byte[] data) {
        return JobCodec.decode(data);
    }

    @Override
    public SmsJob decodeLegacy(String valueClass, String json) {
        try {
            return JobCodec.decode(LegacyJson.field(json, "data").binaryValue());
        } catch (IOException e) {
            throw new UncheckedIOException("legacy job's data is not base64", e);
        }
    }
}
