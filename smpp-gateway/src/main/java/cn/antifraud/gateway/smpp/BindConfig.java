package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

/**
 * One group of identical binds to an SMSC (SMPP 3.4 §4.1, bind_transmitter/receiver/transceiver).
 * The password is never logged: {@link #toString()} masks it.
 */
public final class BindConfig {
    private final String systemId;
    private final String password;
    private final String systemType;
    private final BindType bindType;
    private final int count;

    private BindConfig(Builder b) {
        this.systemId = requireNonNull(b.systemId, "systemId");
        this.password = requireNonNull(b.password, "password");
        this.systemType = requireNonNull(b.systemType, "systemType");
        this.bindType = requireNonNull(b.bindType, "bindType");
        if (systemId.isEmpty() || systemId.length() > 15) {
            throw new IllegalArgumentException("system_id must be 1..15 characters (SMPP 3.4 §4.1.1), got " + systemId.length());
        }
        if (password.length() > 8) {
            throw new IllegalArgumentException("password for system_id " + systemId + " is longer than 8 characters (SMPP 3.4 §4.1.1)");
        }
        if (systemType.length() > 12) {
            throw new IllegalArgumentException("system_type must be at most 12 characters, got " + systemType.length());
        }
        if (b.count < 1) {
            throw new IllegalArgumentException("bind count must be at least 1, got " + b.count);
        }
        this.count = b.count;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String systemId() { return systemId; }

    /** The secret; callers must not log it. */
    public String password() { return password; }

    public String systemType() { return systemType; }

    public BindType bindType() { return bindType; }

    /** How many sessions with these credentials to open. */
    public int count() { return count; }

    @Override
    public String toString() {
        return "BindConfig{systemId=" + systemId + ", password=****, systemType=" + systemType
                + ", bindType=" + bindType + ", count=" + count + "}";
    }

    /** Builder; transceiver and one bind by default. */
    public static final class Builder {
        private String systemId;
        private String password;
        private String systemType = "";
        private BindType bindType = BindType.TRANSCEIVER;
        private int count = 1;

        public Builder systemId(String systemId) { this.systemId = requireNonNull(systemId, "systemId"); return this; }
        public Builder password(String password) { this.password = requireNonNull(password, "password"); return this; }
        public Builder systemType(String systemType) { this.systemType = requireNonNull(systemType, "systemType"); return this; }
        public Builder bindType(BindType bindType) { this.bindType = requireNonNull(bindType, "bindType"); return this; }
        public Builder count(int count) { this.count = count; return this; }

        public BindConfig build() { return new BindConfig(this); }
    }
}
