package cn.antifraud.gateway.smpp.sim;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppServerConfiguration;
import com.cloudhopper.smpp.SmppServerHandler;
import com.cloudhopper.smpp.SmppServerSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppServer;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.SmppProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;

/**
 * An SMSC for tests, built on Cloudhopper's server (an SMPP implementation independent of jsmpp) and bound
 * to a free loopback port. It records every submit_sm, answers with a scripted command_status, and sends
 * delivery receipts: after the submit_sm_resp, or before it (to prove a receipt that overtakes its
 * response is not lost), with the id in the TLV or only in the text, and in decimal while the response
 * gave it in hex.
 */
public final class SmscSimulator implements AutoCloseable {

    /** How receipts are sent. */
    public enum ReceiptMode { NONE, AFTER_RESPONSE, BEFORE_RESPONSE }

    /** One accepted or refused submit_sm as the simulator decoded it. */
    public record Received(String systemId, byte sourceTon, byte sourceNpi, String source, String destination,
                           byte esmClass, byte dataCoding, byte registeredDelivery, byte[] shortMessage,
                           int status, String messageId, long atNanos) {
    }

    /** A status script value: take the message but never answer, as an SMSC whose response is lost. */
    public static final int NO_RESPONSE = -1;

    private final int port;
    private volatile String password;
    private final AtomicInteger bindRefusals = new AtomicInteger();
    private volatile int bindRefusalStatus;
    private final java.util.Queue<Received> received = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Set<SmppServerSession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<SmppServerSession, SessionHandler> handlers = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(0x1000);
    private final AtomicInteger submits = new AtomicInteger();
    private final AtomicInteger bindsRefused = new AtomicInteger();
    private final AtomicInteger receiptsHeld = new AtomicInteger();
    private final AtomicInteger receiptsAnswered = new AtomicInteger();
    private final java.util.Queue<DeliverSm> heldReceipts = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService receiptSender = Executors.newSingleThreadScheduledExecutor();
    private volatile IntUnaryOperator statusScript = n -> SmppConstants.STATUS_OK;
    private volatile ReceiptMode receiptMode = ReceiptMode.AFTER_RESPONSE;
    private volatile boolean receiptIdInTlv = true;
    private volatile boolean hexIdsDecimalReceipts = true;
    private DefaultSmppServer server;

    public SmscSimulator(String password) {
        this.password = password;
        this.port = freePort();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** command_status for the n-th submit_sm (0-based); OK by default. */
    public SmscSimulator statusScript(IntUnaryOperator script) {
        this.statusScript = script;
        return this;
    }

    /** Accept binds with this password from now on. */
    public SmscSimulator password(String newPassword) {
        this.password = newPassword;
        return this;
    }

    /** Refuse the next {@code count} binds with {@code status}, e.g. ESME_RALYBND 0x05 after a dropped link. */
    public SmscSimulator refuseNextBinds(int status, int count) {
        this.bindRefusalStatus = status;
        this.bindRefusals.set(count);
        return this;
    }

    public SmscSimulator receipts(ReceiptMode mode, boolean idInTlv) {
        this.receiptMode = mode;
        this.receiptIdInTlv = idInTlv;
        return this;
    }

    public SmscSimulator hexIdsDecimalReceipts(boolean on) {
        this.hexIdsDecimalReceipts = on;
        return this;
    }

    public synchronized SmscSimulator start() throws Exception {
        SmppServerConfiguration cfg = new SmppServerConfiguration();
        cfg.setHost("127.0.0.1");
        cfg.setPort(port);
        cfg.setName("sim-" + port);
        cfg.setSystemId("SIM");
        cfg.setMaxConnectionSize(64);
        cfg.setNonBlockingSocketsEnabled(true);
        cfg.setDefaultRequestExpiryTimeout(5000);
        cfg.setDefaultWindowSize(64);
        cfg.setJmxEnabled(false);
        cfg.setReuseAddress(true);
        server = new DefaultSmppServer(cfg, new Handler());
        server.start();
        return this;
    }

    /** Stops listening and closes every session, as an SMSC that goes away. */
    public synchronized void stop() {
        if (server != null) {
            dropSessions();
            server.stop();
            server.destroy();
            server = null;
        }
    }

    /** Closes every session's TCP connection without an unbind, as a link failure does. */
    public void dropSessions() {
        for (SmppServerSession s : sessions) {
            holdUnanswered(s);
            s.close();
            s.destroy();
        }
        sessions.clear();
    }

    /** Receipts sent on a session but never answered with deliver_sm_resp go out again on the next bind. */
    private void holdUnanswered(SmppServerSession session) {
        SessionHandler handler = handlers.remove(session);
        if (handler != null) {
            heldReceipts.addAll(handler.unanswered);
            receiptsHeld.addAndGet(handler.unanswered.size());
        }
    }

    public int boundSessions() {
        return sessions.size();
    }

    /** Receipts that could not be sent at once because their session was gone; resent on the next bind. */
    public int receiptsHeld() {
        return receiptsHeld.get();
    }

    /** deliver_sm_resp the gateway sent for receipts. */
    public int receiptsAnswered() {
        return receiptsAnswered.get();
    }

    public int bindsRefused() {
        return bindsRefused.get();
    }

    /** submit_sm seen so far, answered or not. */
    public int submitsSeen() {
        return submits.get();
    }

    /** Forgets what was received, between benchmark phases. */
    public void clearReceived() {
        received.clear();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> accepted() {
        return received.stream().filter(r -> r.status() == SmppConstants.STATUS_OK).toList();
    }

    /** Accepted submits whose destination and octets were accepted before: duplicates on the handset. */
    public int duplicates() {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        int dup = 0;
        for (Received r : accepted()) {
            if (!seen.add(r.destination() + "|" + java.util.HexFormat.of().formatHex(r.shortMessage()))) {
                dup++;
            }
        }
        return dup;
    }

    /**
     * The texts delivered to {@code destination}: UCS2 decoded, concatenated parts put together by their
     * UDH reference and sequence number (3GPP TS 23.040 §9.2.3.24.1), whatever order they came in.
     */
    public List<String> textsTo(String destination) {
        Map<Integer, String[]> partsByRef = new java.util.TreeMap<>();
        List<String> texts = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Received r : accepted()) {
            if (!r.destination().equals(destination) || !seen.add(java.util.HexFormat.of().formatHex(r.shortMessage()))) {
                continue;
            }
            byte[] sm = r.shortMessage();
            if ((r.esmClass() & 0x40) == 0) {
                texts.add(decode(r.dataCoding(), sm, 0));
                continue;
            }
            int udhl = sm[0] & 0xFF;
            int ref = sm[3] & 0xFF;
            int total = sm[4] & 0xFF;
            int seq = sm[5] & 0xFF;
            String[] parts = partsByRef.computeIfAbsent(ref, k -> new String[total]);
            parts[seq - 1] = decode(r.dataCoding(), sm, udhl + 1);
        }
        for (String[] parts : partsByRef.values()) {
            StringBuilder sb = new StringBuilder();
            for (String p : parts) {
                sb.append(p == null ? "<missing part>" : p);
            }
            texts.add(sb.toString());
        }
        return texts;
    }

    private static String decode(byte dataCoding, byte[] sm, int offset) {
        byte[] body = java.util.Arrays.copyOfRange(sm, offset, sm.length);
        return (dataCoding & 0x0F) == 0x08 || dataCoding == 0x18
                ? new String(body, StandardCharsets.UTF_16BE)
                : new String(body, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        stop();
        receiptSender.shutdownNow();
    }

    private final class Handler implements SmppServerHandler {
        @Override
        public void sessionBindRequested(Long sessionId, SmppSessionConfiguration cfg, BaseBind bind) throws SmppProcessingException {
            if (bindRefusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                bindsRefused.incrementAndGet();
                throw new SmppProcessingException(bindRefusalStatus, "scripted bind refusal");
            }
            if (!password.equals(bind.getPassword())) {
                bindsRefused.incrementAndGet();
                throw new SmppProcessingException(SmppConstants.STATUS_INVPASWD, "wrong password");
            }
        }

        @Override
        public void sessionCreated(Long sessionId, SmppServerSession session, BaseBindResp resp) {
            sessions.add(session);
            SessionHandler handler = new SessionHandler(session);
            handlers.put(session, handler);
            session.serverReady(handler);
            receiptSender.schedule(() -> {
                DeliverSm held;
                while ((held = heldReceipts.poll()) != null) {
                    try {
                        handler.unanswered.add(held);
                        session.sendRequestPdu(held, 5000, false);
                    } catch (Exception e) {
                        handler.unanswered.remove(held);
                        heldReceipts.add(held);
                        return;
                    }
                }
            }, 50, TimeUnit.MILLISECONDS);
        }

        @Override
        public void sessionDestroyed(Long sessionId, SmppServerSession session) {
            sessions.remove(session);
            holdUnanswered(session);
            session.destroy();
        }
    }

    private final class SessionHandler extends DefaultSmppSessionHandler {
        private final SmppServerSession session;
        private final Set<DeliverSm> unanswered = ConcurrentHashMap.newKeySet();

        SessionHandler(SmppServerSession session) {
            this.session = session;
        }

        @Override
        public void fireExpectedPduResponseReceived(com.cloudhopper.smpp.PduAsyncResponse response) {
            unanswered.remove(response.getRequest());
            receiptsAnswered.incrementAndGet();
        }

        @Override
        @SuppressWarnings("rawtypes")
        public PduResponse firePduRequestReceived(PduRequest request) {
            if (!(request instanceof SubmitSm submit)) {
                return request.createResponse();
            }
            int status = statusScript.applyAsInt(submits.getAndIncrement());
            if (status == NO_RESPONSE) {
                received.add(new Received(session.getConfiguration().getSystemId(), submit.getSourceAddress().getTon(),
                        submit.getSourceAddress().getNpi(), submit.getSourceAddress().getAddress(),
                        submit.getDestAddress().getAddress(), submit.getEsmClass(), submit.getDataCoding(),
                        submit.getRegisteredDelivery(), submit.getShortMessage(), SmppConstants.STATUS_OK, "unanswered", System.nanoTime()));
                return null;
            }
            long id = ids.incrementAndGet();
            String respId = hexIdsDecimalReceipts ? Long.toHexString(id).toUpperCase() : Long.toString(id);
            String receiptId = Long.toString(id);
            SubmitSmResp resp = submit.createResponse();
            resp.setCommandStatus(status);
            if (status == SmppConstants.STATUS_OK) {
                resp.setMessageId(respId);
            }
            received.add(new Received(session.getConfiguration().getSystemId(), submit.getSourceAddress().getTon(),
                    submit.getSourceAddress().getNpi(), submit.getSourceAddress().getAddress(),
                    submit.getDestAddress().getAddress(), submit.getEsmClass(), submit.getDataCoding(),
                    submit.getRegisteredDelivery(), submit.getShortMessage(), status,
                    status == SmppConstants.STATUS_OK ? respId : null, System.nanoTime()));
            if (status == SmppConstants.STATUS_OK && (submit.getRegisteredDelivery() & 0x01) != 0) {
                if (receiptMode == ReceiptMode.BEFORE_RESPONSE) {
                    sendReceipt(submit, receiptId);
                } else if (receiptMode == ReceiptMode.AFTER_RESPONSE) {
                    receiptSender.schedule(() -> sendReceipt(submit, receiptId), 5, TimeUnit.MILLISECONDS);
                }
            }
            return resp;
        }

        private void sendReceipt(SubmitSm submit, String id) {
            DeliverSm dlr = new DeliverSm();
            try {
                dlr.setEsmClass(SmppConstants.ESM_CLASS_MT_SMSC_DELIVERY_RECEIPT);
                dlr.setSourceAddress(new Address((byte) 1, (byte) 1, submit.getDestAddress().getAddress()));
                dlr.setDestAddress(submit.getSourceAddress());
                String text = "id:" + id + " sub:001 dlvrd:001 submit date:2611220800 done date:2611220800 stat:DELIVRD err:000 text:";
                dlr.setShortMessage(text.getBytes(StandardCharsets.ISO_8859_1));
                if (receiptIdInTlv) {
                    dlr.addOptionalParameter(new Tlv(SmppConstants.TAG_RECEIPTED_MSG_ID, (id + "\0").getBytes(StandardCharsets.ISO_8859_1)));
                    dlr.addOptionalParameter(new Tlv(SmppConstants.TAG_MSG_STATE, new byte[] {2}));
                }
                unanswered.add(dlr);
                session.sendRequestPdu(dlr, 5000, false);
                // The link may have been dropped between the submit_sm_resp and this receipt (sent 5 ms later):
                // its unanswered receipts were then already moved to the held ones, and this one, added after,
                // would be lost with the dead session. Hold it too (a duplicate is harmless: the gateway
                // ignores a second receipt for a part already final). Found beside stress-ng.
                if (handlers.get(session) != this && unanswered.remove(dlr)) {
                    receiptsHeld.incrementAndGet();
                    heldReceipts.add(dlr);
                }
            } catch (Exception e) {
                // The session went away: hold the receipt for the next bind, as an SMSC's store does.
                receiptsHeld.incrementAndGet();
                unanswered.remove(dlr);
                heldReceipts.add(dlr);
            }
        }
    }

}
