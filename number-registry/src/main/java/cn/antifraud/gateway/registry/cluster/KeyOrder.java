package cn.antifraud.gateway.registry.cluster;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Map;

/** Orders map entries by their E.164 key, for paged listings; sent to members, hence Serializable. */
final class KeyOrder<V> implements Comparator<Map.Entry<String, V>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Map.Entry<String, V> a, Map.Entry<String, V> b) {
        return a.getKey().compareTo(b.getKey());
    }
}
