package cn.antifraud.gateway.registry.jdbc;

import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.PhoneNumber;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Write-through store of family contacts (亲情联防): the subscriber's row in {@code family_contacts}
 * and one row per contact in {@code family_contact}, replaced together in one transaction. Deleting
 * the subscriber's row removes the contacts by {@code ON DELETE CASCADE}.
 */
final class FamilyContactsStore extends TableStore<FamilyContacts> {

    private static final String DELETE_CONTACTS = "DELETE FROM family_contact WHERE subscriber = ANY(?)";
    private static final String INSERT_CONTACT =
            "INSERT INTO family_contact (subscriber, position, contact, contact_kind) VALUES (?, ?, ?, ?)";
    private static final String SELECT_CONTACTS = "SELECT subscriber, position, contact, contact_kind FROM family_contact"
            + " WHERE subscriber = ANY(?) ORDER BY subscriber, position";

    FamilyContactsStore(StoreContext context) {
        super(context, "family_contacts", "subscriber", List.of("subscriber_kind", "consent", "consented_at"));
    }

    @Override
    String keyOf(FamilyContacts value) {
        return value.subscriber().e164();
    }

    @Override
    int bindValues(PreparedStatement p, int i, FamilyContacts f) throws SQLException {
        p.setString(i++, f.subscriber().kind().name());
        p.setBoolean(i++, f.consent());
        p.setObject(i++, Jdbc.timestamp(f.consentedAt()));
        return i;
    }

    /** Reads the subscriber's row; the contacts are filled in by {@link #completeLoaded}. */
    @Override
    FamilyContacts read(ResultSet rs) throws SQLException {
        return new FamilyContacts(new PhoneNumber(rs.getString(1), PhoneNumber.Kind.valueOf(rs.getString(2))),
                List.of(), rs.getBoolean(3), Jdbc.instant(rs, 4));
    }

    @Override
    void writeDependents(Connection c, List<Map.Entry<String, FamilyContacts>> chunk) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(DELETE_CONTACTS);
             PreparedStatement insert = c.prepareStatement(INSERT_CONTACT)) {
            delete.setArray(1, Jdbc.keyArray(c, context.dialect(), chunk.stream().map(Map.Entry::getKey).toList()));
            delete.executeUpdate();
            for (Map.Entry<String, FamilyContacts> e : chunk) {
                List<PhoneNumber> contacts = e.getValue().contacts();
                for (int position = 0; position < contacts.size(); position++) {
                    insert.setString(1, e.getKey());
                    insert.setShort(2, (short) position);
                    insert.setString(3, contacts.get(position).e164());
                    insert.setString(4, contacts.get(position).kind().name());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    @Override
    Map<String, FamilyContacts> completeLoaded(Connection c, Map<String, FamilyContacts> loaded) throws SQLException {
        if (loaded.isEmpty()) {
            return loaded;
        }
        Map<String, List<PhoneNumber>> contacts = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(SELECT_CONTACTS)) {
            p.setArray(1, Jdbc.keyArray(c, context.dialect(), loaded.keySet()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    contacts.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new PhoneNumber(rs.getString(3), PhoneNumber.Kind.valueOf(rs.getString(4))));
                }
            }
        }
        Map<String, FamilyContacts> complete = new HashMap<>(loaded.size() * 4 / 3 + 1);
        loaded.forEach((key, f) -> complete.put(key, new FamilyContacts(f.subscriber(),
                contacts.getOrDefault(key, List.of()), f.consent(), f.consentedAt())));
        return complete;
    }
}
