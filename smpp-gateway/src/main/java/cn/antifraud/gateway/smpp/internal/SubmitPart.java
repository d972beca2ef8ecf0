package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.SourceAddress;
import org.jsmpp.PDUStringException;
import org.jsmpp.util.DefaultComposer;

/**
 * The fields of one submit_sm (SMPP 3.4 §4.4.1) that the gateway sets; everything else is the SMPP default
 * (service_type "", protocol_id 0, priority 0, immediate delivery, SMSC default validity, no replace).
 * registered_delivery is always 0x01: an SMSC delivery receipt on final outcome, so a job can reach DELIVERED.
 */
public record SubmitPart(SourceAddress source, byte destTon, byte destNpi, String destination,
                         byte esmClass, byte dataCoding, byte[] shortMessage) {

    public static final byte RECEIPT_ON_FINAL_OUTCOME = 0x01;

    public SubmitPart {
        requireNonNull(source, "source");
        requireNonNull(destination, "destination");
        requireNonNull(shortMessage, "shortMessage");
        if (shortMessage.length > 254) {
            throw new IllegalArgumentException("short_message is " + shortMessage.length + " octets; SMPP 3.4 allows 254");
        }
    }

    /** The PDU bytes jsmpp puts on the wire for this part, for golden tests and the benchmark's reference client. */
    public byte[] toPdu(int sequenceNumber) {
        try {
            return new DefaultComposer().submitSm(sequenceNumber, "", source.ton(), source.npi(), source.address(),
                    destTon, destNpi, destination, esmClass, (byte) 0, (byte) 0, null, null,
                    RECEIPT_ON_FINAL_OUTCOME, (byte) 0, dataCoding, (byte) 0, shortMessage);
        } catch (PDUStringException e) {
            throw new IllegalArgumentException("cannot encode submit_sm to " + destination + ": " + e.getMessage(), e);
        }
    }
}
