package cn.antifraud.gateway.smpp.internal;

/** Receives delivery receipts from binds (SMPP 3.4 §4.6.1, deliver_sm with esm_class receipt type). */
interface ReceiptListener {

    /**
     * Called on jsmpp's PDU processing thread before the deliver_sm_resp is sent, so a receipt is answered
     * only once it is durable. Must not throw for a receipt it cannot match.
     */
    void onReceipt(String smsc, DeliveryReceipt receipt);
}
