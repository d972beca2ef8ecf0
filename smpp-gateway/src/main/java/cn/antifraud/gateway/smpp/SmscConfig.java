package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/** One SMSC the gateway binds to, with one or more groups of binds (SMPP 3.4 §2.2). */
public final class SmscConfig {
    private final String name;
    private final String host;
    private final int port;
    private final List<BindConfig> binds;
    private final ReceiptIdFormat receiptIdFormat;

    private SmscConfig(Builder b) {
        this.name = requireNonNull(b.name, "name");
        this.host = requireNonNull(b.host, "host");
        if (b.port < 1 || b.port > 65535) {
            throw new IllegalArgumentException("SMSC " + name + ": port must be 1..65535, got " + b.port);
        }
        this.port = b.port;
        this.binds = List.copyOf(b.binds);
        this.receiptIdFormat = requireNonNull(b.receiptIdFormat, "receiptIdFormat");
        if (binds.isEmpty()) {
            throw new IllegalArgumentException("SMSC " + name + " has no binds");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public String name() { return name; }
    public String host() { return host; }
    public int port() { return port; }
    public List<BindConfig> binds() { return binds; }
    /** How this SMSC's receipts spell its submit_sm_resp ids. */
    public ReceiptIdFormat receiptIdFormat() { return receiptIdFormat; }

    @Override
    public String toString() {
        return "SmscConfig{name=" + name + ", host=" + host + ", port=" + port + ", binds=" + binds
                + ", receiptIdFormat=" + receiptIdFormat.configName() + "}";
    }

    /** Builder. */
    public static final class Builder {
        private String name;
        private String host;
        private int port;
        private final List<BindConfig> binds = new ArrayList<>();
        private ReceiptIdFormat receiptIdFormat = ReceiptIdFormat.AS_IS;

        public Builder name(String name) { this.name = requireNonNull(name, "name"); return this; }
        public Builder host(String host) { this.host = requireNonNull(host, "host"); return this; }
        public Builder port(int port) { this.port = port; return this; }
        public Builder receiptIdFormat(ReceiptIdFormat format) { this.receiptIdFormat = requireNonNull(format, "format"); return this; }
        public Builder addBind(BindConfig bind) { this.binds.add(requireNonNull(bind, "bind")); return this; }

        public SmscConfig build() { return new SmscConfig(this); }
    }
}
