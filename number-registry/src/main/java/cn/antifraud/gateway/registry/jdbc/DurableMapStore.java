package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.map.MapStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Write-through store of one work map named {@code durable.NAME} (warning jobs, SMS jobs, contact
 * events), in the shared table {@code durable_entry}: a row per entry with the map's name, the key,
 * the value as JSON and the value's class, so one table serves every such map and a new map needs no
 * migration.
 *
 * <p>Writes and deletes go through the {@link DurableGroupCommit} shared by every durable map of the
 * stores: a call returns once the transaction holding its rows committed, as a plain write-through
 * store does, but the calls of Hazelcast's partition threads waiting at the same time share that
 * transaction and its commit.
 *
 * <p>Only classes under {@value #ALLOWED_PACKAGE} are instantiated on load: the class name comes from
 * the database, and a row must not be able to make the gateway build arbitrary objects.
 */
final class DurableMapStore implements MapStore<String, Object> {

    static final String PREFIX = "durable.";
    static final String ALLOWED_PACKAGE = "cn.antifraud.gateway.";

    private final StoreContext context;
    private final ObjectMapper json;
    private final String mapName;
    private final DurableGroupCommit commits;

    DurableMapStore(StoreContext context, DurableGroupCommit commits, ObjectMapper json, String mapName) {
        this.context = requireNonNull(context, "context");
        this.commits = requireNonNull(commits, "commits");
        this.json = requireNonNull(json, "json");
        requireNonNull(mapName, "mapName");
        if (!mapName.startsWith(PREFIX) || mapName.length() == PREFIX.length() || mapName.length() > 200) {
            throw new IllegalArgumentException("durable map name must be 'durable.NAME' (at most 200 characters), got '"
                    + mapName + "'");
        }
        this.mapName = mapName;
    }

    @Override
    public void store(String key, Object value) {
        storeAll(Map.of(key, value));
    }

    /** All entries in one transaction, shared with the writes of other callers waiting at the same time. */
    @Override
    public void storeAll(Map<String, Object> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<DurableGroupCommit.Row> rows = new ArrayList<>(entries.size());
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            Object value = requireNonNull(e.getValue(), "value");
            rows.add(DurableGroupCommit.Row.upsert(mapName, e.getKey(), allowedClass(value.getClass().getName()),
                    toJson(e.getKey(), value), now));
        }
        commits.write("storing " + entries.size() + " entries of " + mapName, rows);
    }

    @Override
    public void delete(String key) {
        deleteAll(List.of(key));
    }

    /** All keys in one transaction, shared with the writes of other callers waiting at the same time. */
    @Override
    public void deleteAll(Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        List<DurableGroupCommit.Row> rows = new ArrayList<>(keys.size());
        for (String key : keys) {
            rows.add(DurableGroupCommit.Row.delete(mapName, key));
        }
        commits.write("deleting " + keys.size() + " entries of " + mapName, rows);
    }

    @Override
    public Object load(String key) {
        return loadAll(List.of(key)).get(key);
    }

    @Override
    public Map<String, Object> loadAll(Collection<String> keys) {
        Map<String, Object> result = new HashMap<>();
        if (keys.isEmpty()) {
            return result;
        }
        try {
            context.underLoadPermit("loading " + mapName, () -> {
                loadInto(keys, result);
                return null;
            });
        } catch (SQLException e) {
            throw new DatabaseAccessException("loading " + keys.size() + " entries of " + mapName, e);
        }
        return result;
    }

    private void loadInto(Collection<String> keys, Map<String, Object> result) throws SQLException {
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("SELECT entry_key, value_class, value_json FROM durable_entry"
                     + " WHERE map_name = ? AND entry_key = ANY(?)")) {
            for (List<String> chunk : Jdbc.chunks(keys, context.batchSize())) {
                p.setString(1, mapName);
                p.setArray(2, Jdbc.keyArray(c, context.dialect(), chunk));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        result.put(rs.getString(1), fromJson(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
        }
    }

    @Override
    public Iterable<String> loadAllKeys() {
        return new StreamingKeys(context.dataSource(), "SELECT entry_key FROM durable_entry WHERE map_name = ?",
                mapName, context.fetchSize());
    }

    private String toJson(String key, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(mapName + "[" + key + "]: " + value.getClass().getName()
                    + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private Object fromJson(String key, String className, String text) {
        try {
            return json.readValue(text, classFor(allowedClass(className)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(mapName + "[" + key + "]: stored JSON does not read as " + className + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private String allowedClass(String className) {
        if (!className.startsWith(ALLOWED_PACKAGE)) {
            throw new IllegalArgumentException(mapName + ": value class " + className + " is not under "
                    + ALLOWED_PACKAGE + "; durable maps hold the gateway's own records only");
        }
        return className;
    }

    private static Class<?> classFor(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(className, false, loader != null ? loader : DurableMapStore.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("durable value class " + className + " is not on the class path", e);
        }
    }
}
