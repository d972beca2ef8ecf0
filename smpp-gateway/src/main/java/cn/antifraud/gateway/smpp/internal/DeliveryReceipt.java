package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;

/**
 * A delivery receipt: the message id it reports on and the final state. The id comes from the
 * receipted_message_id TLV (SMPP 3.4 §5.3.2.12) when present, else from the "id:" field of the text
 * (SMPP 3.4 Appendix B); the state from the message_state TLV (§5.3.2.35) or "stat:".
 *
 * @param messageId the id as the SMSC wrote it
 * @param status    DELIVERED, EXPIRED or FAILED (UNDELIV, REJECTD, DELETED, UNKNOWN), or ENROUTE/ACCEPTED (not final)
 */
public record DeliveryReceipt(String messageId, Status status) {

    /** Final and intermediate states, named for SMPP 3.4 §5.2.28 message_state. */
    public enum Status { DELIVERED, EXPIRED, FAILED, NOT_FINAL }

    private static final Pattern ID = Pattern.compile("(?i)\\bid:\\s*([0-9A-Za-z\\-]+)");
    private static final Pattern STAT = Pattern.compile("(?i)\\bstat:\\s*([A-Za-z]+)");

    public DeliveryReceipt {
        requireNonNull(messageId, "messageId");
        requireNonNull(status, "status");
    }

    /** Reads a receipt from a deliver_sm; empty when it carries no message id at all. */
    public static Optional<DeliveryReceipt> from(DeliverSm deliverSm) {
        String text = deliverSm.getShortMessage() == null ? "" : new String(deliverSm.getShortMessage(), StandardCharsets.ISO_8859_1);
        String id = null;
        OptionalParameter tlv = deliverSm.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
        if (tlv instanceof OptionalParameter.OctetString os) {
            id = os.getValueAsString().replace("\0", "").trim();
        }
        if (id == null || id.isEmpty()) {
            Matcher m = ID.matcher(text);
            id = m.find() ? m.group(1) : null;
        }
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Status status = Status.NOT_FINAL;
        OptionalParameter state = deliverSm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_STATE);
        if (state instanceof OptionalParameter.Byte b) {
            status = fromMessageState(b.getValue());
        } else {
            Matcher m = STAT.matcher(text);
            if (m.find()) {
                status = fromStat(m.group(1));
            }
        }
        return Optional.of(new DeliveryReceipt(id, status));
    }

    static Status fromMessageState(int state) {
        return switch (state) {
            case 2 -> Status.DELIVERED;
            case 3 -> Status.EXPIRED;
            case 4, 5, 7, 8 -> Status.FAILED;
            default -> Status.NOT_FINAL;
        };
    }

    static Status fromStat(String stat) {
        return switch (stat.toUpperCase(Locale.ROOT)) {
            case "DELIVRD" -> Status.DELIVERED;
            case "EXPIRED" -> Status.EXPIRED;
            case "UNDELIV", "REJECTD", "DELETED", "UNKNOWN" -> Status.FAILED;
            default -> Status.NOT_FINAL;
        };
    }
}
