package cn.antifraud.gateway.smpp.internal;

import java.util.Map;

/** Names of the SMPP 3.4 command_status values the gateway reports (§5.1.3), as an open set: unknown codes print as hex. */
final class CommandStatus {
    static final int ESME_RALYBND = 0x05;
    static final int ESME_RBINDFAIL = 0x0D;
    static final int ESME_RINVPASWD = 0x0E;
    static final int ESME_RINVSYSID = 0x0F;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0x01, "ESME_RINVMSGLEN"), Map.entry(0x02, "ESME_RINVCMDLEN"), Map.entry(0x03, "ESME_RINVCMDID"),
            Map.entry(0x04, "ESME_RINVBNDSTS"), Map.entry(0x05, "ESME_RALYBND"), Map.entry(0x08, "ESME_RSYSERR"),
            Map.entry(0x0A, "ESME_RINVSRCADR"), Map.entry(0x0B, "ESME_RINVDSTADR"), Map.entry(0x0D, "ESME_RBINDFAIL"),
            Map.entry(0x0E, "ESME_RINVPASWD"), Map.entry(0x0F, "ESME_RINVSYSID"), Map.entry(0x14, "ESME_RMSGQFUL"),
            Map.entry(0x45, "ESME_RSUBMITFAIL"), Map.entry(0x58, "ESME_RTHROTTLED"), Map.entry(0x61, "ESME_RINVSCHED"),
            Map.entry(0x62, "ESME_RINVEXPIRY"));

    private CommandStatus() {
    }

    static String describe(int status) {
        return NAMES.getOrDefault(status, "command_status") + String.format(" 0x%08X", status);
    }
}
