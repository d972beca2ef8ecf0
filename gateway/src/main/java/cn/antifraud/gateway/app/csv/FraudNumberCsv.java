package cn.antifraud.gateway.app.csv;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.InvalidPhoneNumberException;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The CSV format of fraud numbers, for the bulk import ({@code POST /v1/fraud-numbers:import}) and
 * for the lists in {@code config/}: RFC 4180 fields, UTF-8, one number a line:
 *
 * <pre>
 * number,fraud_type,case_reference,expires,reject_calls
 * 13800138000,impersonating_authorities,沪公(反)2024-0012,2027-01-01T00:00:00Z,false
 * </pre>
 *
 * The header line is optional; {@code expires} (ISO-8601 instant) and {@code reject_calls}
 * ({@code true}/{@code false}) may be empty. Lines starting with {@code #} and blank lines are skipped.
 */
public final class FraudNumberCsv {
    public static final String HEADER = "number,fraud_type,case_reference,expires,reject_calls";
    private static final int MAX_FIELDS = 5;

    private FraudNumberCsv() {
    }

    /** Whether a line carries no row: blank, a comment, or the header. */
    public static boolean isSkipped(String line) {
        String t = line.strip();
        return t.isEmpty() || t.startsWith("#") || t.toLowerCase(java.util.Locale.ROOT).startsWith("number,");
    }

    /**
     * Parses one row.
     *
     * @param added the listing time to record
     * @throws RowException naming the column and what is wrong
     */
    public static FraudNumber parse(String line, Instant added) {
        List<String> f = fields(line);
        if (f.size() < 3 || f.size() > MAX_FIELDS) {
            throw new RowException("row", "has " + f.size() + " fields; expected " + HEADER);
        }
        PhoneNumber number;
        try {
            number = PhoneNumbers.parse(f.get(0));
        } catch (InvalidPhoneNumberException e) {
            throw new RowException("number", e.getMessage());
        }
        FraudType type;
        try {
            type = FraudType.parse(f.get(1));
        } catch (IllegalArgumentException e) {
            throw new RowException("fraud_type", e.getMessage());
        }
        String caseRef = f.get(2).strip();
        if (caseRef.isEmpty()) {
            throw new RowException("case_reference", "is required");
        }
        if (caseRef.length() > FraudNumber.MAX_CASE_REFERENCE) {
            throw new RowException("case_reference", "must be at most " + FraudNumber.MAX_CASE_REFERENCE
                    + " characters, got " + caseRef.length());
        }
        Instant expires = null;
        if (f.size() > 3 && !f.get(3).isBlank()) {
            try {
                expires = Instant.parse(f.get(3).strip());
            } catch (DateTimeParseException e) {
                throw new RowException("expires", "must be an ISO-8601 instant like 2027-01-01T00:00:00Z, got '" + f.get(3) + "'");
            }
        }
        boolean reject = false;
        if (f.size() > 4 && !f.get(4).isBlank()) {
            String r = f.get(4).strip();
            if (!r.equals("true") && !r.equals("false")) {
                throw new RowException("reject_calls", "must be true or false, got '" + r + "'");
            }
            reject = Boolean.parseBoolean(r);
        }
        return new FraudNumber(number, type, caseRef, added, expires, reject);
    }

    /** Splits one line into fields (RFC 4180: quoted fields may hold commas, "" is a quote). */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>(MAX_FIELDS);
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (c != '\r') {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new RowException("row", "a quoted field is not closed");
        }
        out.add(cur.toString());
        return out;
    }

    /** A row that cannot be read; the message names the column. */
    public static final class RowException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String column;

        RowException(String column, String problem) {
            super(column + ": " + problem);
            this.column = column;
        }

        public String column() {
            return column;
        }
    }
}
