package cn.antifraud.gateway.registry.cluster;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Map;

/**
 * Orders map entries by their key (an E.164 string, or the digits as a {@code Long} for fraud
 * numbers), for paged listings; sent to members, hence Serializable.
 */
final class KeyOrder<K extends Comparable<K>, V> implements Comparator<Map.Entry<K, V>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Map.Entry<K, V> a, Map.Entry<K, V> b) {
        return a.getKey().compareTo(b.getKey());
    }
}
