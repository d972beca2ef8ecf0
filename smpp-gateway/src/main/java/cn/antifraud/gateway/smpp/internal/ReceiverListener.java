package cn.antifraud.gateway.smpp.internal;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what the SMSC sends on a bind. jsmpp sends the deliver_sm_resp when this returns (SMPP 3.4 §4.6.2),
 * so every deliver_sm is answered, and a receipt only after it is recorded. Mobile-originated messages
 * (replies to 12381, which warnings say need none) are counted and accepted.
 */
final class ReceiverListener implements MessageReceiverListener {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiverListener.class);
    private static final int ESME_RINVCMDID = 0x03;
    private static final int ESME_RSYSERR = 0x08;

    private final String smsc;
    private final ReceiptListener receipts;
    private final MeterRegistry meters;

    ReceiverListener(String smsc, ReceiptListener receipts, MeterRegistry meters) {
        this.smsc = smsc;
        this.receipts = receipts;
        this.meters = meters;
    }

    @Override
    public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
        if (!deliverSm.isSmscDeliveryReceipt()) {
            meters.counter("smpp.deliver_sm", "smsc", smsc, "type", "mobile_originated").increment();
            return;
        }
        Optional<DeliveryReceipt> receipt = DeliveryReceipt.from(deliverSm);
        if (receipt.isEmpty()) {
            meters.counter("smpp.deliver_sm", "smsc", smsc, "type", "receipt_without_id").increment();
            LOG.warn("receipt from {} carries no message id; answered and dropped", smsc);
            return;
        }
        meters.counter("smpp.deliver_sm", "smsc", smsc, "type", "receipt").increment();
        try {
            receipts.onReceipt(smsc, receipt.get());
        } catch (RuntimeException e) {
            // The SMSC resends a receipt that was not acknowledged; answer with a system error so it does.
            LOG.warn("receipt {} from {} not recorded: {}", receipt.get().messageId(), smsc, e.toString());
            meters.counter("smpp.deliver_sm", "smsc", smsc, "type", "receipt_not_recorded").increment();
            throw new ProcessRequestException("receipt not recorded", ESME_RSYSERR);
        }
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {
        meters.counter("smpp.alert_notification", "smsc", smsc).increment();
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        throw new ProcessRequestException("data_sm is not supported by the warning gateway", ESME_RINVCMDID);
    }
}
