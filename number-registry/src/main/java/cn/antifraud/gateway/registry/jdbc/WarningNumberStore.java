package cn.antifraud.gateway.registry.jdbc;

import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Write-through store of the 反诈名片 warning numbers, table {@code warning_number}. */
final class WarningNumberStore extends TableStore<WarningNumber> {

    WarningNumberStore(StoreContext context) {
        super(context, "warning_number", "number", List.of("number_kind", "card_name", "call_reason", "agency",
                "logo_url", "valid_from", "valid_until", "verified_by", "verified_at", "revoked"));
    }

    @Override
    String keyOf(WarningNumber value) {
        return value.number().e164();
    }

    @Override
    int bindValues(PreparedStatement p, int i, WarningNumber w) throws SQLException {
        p.setString(i++, w.number().kind().name());
        p.setString(i++, w.cardName());
        p.setString(i++, w.callReason());
        p.setString(i++, w.agency());
        p.setString(i++, w.logoUrl());
        p.setObject(i++, Jdbc.timestamp(w.validFrom()));
        p.setObject(i++, Jdbc.timestamp(w.validUntil()));
        p.setString(i++, w.verifiedBy());
        p.setObject(i++, Jdbc.timestamp(w.verifiedAt()));
        p.setBoolean(i++, w.revoked());
        return i;
    }

    @Override
    WarningNumber read(ResultSet rs) throws SQLException {
        return new WarningNumber(
                new PhoneNumber(rs.getString(1), PhoneNumber.Kind.valueOf(rs.getString(2))),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                Jdbc.instant(rs, 7),
                Jdbc.instant(rs, 8),
                rs.getString(9),
                Jdbc.instant(rs, 10),
                rs.getBoolean(11));
    }
}
