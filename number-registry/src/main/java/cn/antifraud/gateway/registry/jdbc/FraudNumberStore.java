package cn.antifraud.gateway.registry.jdbc;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Write-through store of the fraud numbers (涉案号码), table {@code fraud_number}. The fraud type is
 * stored by its enum name so that operators' queries read {@code WHERE fraud_type = 'FAKE_LOAN'}.
 */
final class FraudNumberStore extends TableStore<FraudNumber> {

    FraudNumberStore(StoreContext context) {
        super(context, "fraud_number", "number",
                List.of("number_kind", "fraud_type", "case_reference", "added", "expires", "reject_calls"));
    }

    @Override
    String keyOf(FraudNumber value) {
        return value.number().e164();
    }

    @Override
    int bindValues(PreparedStatement p, int i, FraudNumber f) throws SQLException {
        return bindValues(p, i, f, new TimestampParameters(context.dialect()));
    }

    /** The rows of an import share their listing time: {@code timestamps} formats it once per batch. */
    @Override
    int bindValues(PreparedStatement p, int i, FraudNumber f, TimestampParameters timestamps) throws SQLException {
        p.setString(i++, f.number().kind().name());
        p.setString(i++, f.fraudType().name());
        p.setString(i++, f.caseReference());
        timestamps.bind(p, i++, f.added());
        timestamps.bind(p, i++, f.expires());
        p.setBoolean(i++, f.rejectCalls());
        return i;
    }

    @Override
    FraudNumber read(ResultSet rs) throws SQLException {
        return new FraudNumber(
                new PhoneNumber(rs.getString(1), PhoneNumber.Kind.valueOf(rs.getString(2))),
                FraudType.valueOf(rs.getString(3)),
                rs.getString(4),
                Jdbc.instant(rs, 5),
                Jdbc.instant(rs, 6),
                rs.getBoolean(7));
    }
}
