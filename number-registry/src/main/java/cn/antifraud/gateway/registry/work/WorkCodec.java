package cn.antifraud.gateway.registry.work;

import java.nio.charset.StandardCharsets;

/**
 * The one encoding of a work store's records: the bytes held in the cluster and written to the database
 * are the same, so a record is encoded once per write.
 *
 * @param <V> the record type
 */
public interface WorkCodec<V> {

    byte[] encode(V value);

    /** @throws IllegalArgumentException when {@code data} is not a record of this codec */
    V decode(byte[] data);

    /**
     * Reads a record written by the release before work stores, as a JSON row of a {@code durable.*} map
     * ({@code value_class}, {@code value_json}); used once, when a store takes over such a map's rows.
     *
     * @throws UnsupportedOperationException when this codec has no legacy form
     */
    default V decodeLegacy(String valueClass, String json) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " reads no legacy rows (" + valueClass + ")");
    }

    /** UTF-8 text; reads the legacy {@code {"value":"..."}} rows of the gateway's small maps. */
    static WorkCodec<String> utf8() {
        return Utf8Codec.INSTANCE;
    }

    /** The codec of {@link #utf8()}. */
    final class Utf8Codec implements WorkCodec<String> {
        static final Utf8Codec INSTANCE = new Utf8Codec();

        private Utf8Codec() {
        }

        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] data) {
            return new String(data, StandardCharsets.UTF_8);
        }

        @Override
        public String decodeLegacy(String valueClass, String json) {
            return LegacyJson.field(json, "value").asText();
        }
    }
}
