package cn.antifraud.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.smpp.sim.SmscSimulator;
import cn.antifraud.gateway.smpp.sim.SmscSimulator.ReceiptMode;
import cn.antifraud.gateway.smpp.template.Placeholder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway against Cloudhopper's SMSC on loopback: what the SMSC decodes is what the template says. */
class SmppGatewaySimulatorTest {
    /** Only against a hang: every wait ends on its condition, a loaded machine just gets there later. */
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster(1);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static PhoneNumber number(String s) {
        return PhoneNumbers.parse(s);
    }

    private static WarningStatus awaitAll(SmppGateway gw, String warningId, JobState state) {
        WarningStatus[] last = new WarningStatus[1];
        Await.until("every job " + state, PATIENCE, () -> {
            last[0] = gw.warnings().status(warningId).toCompletableFuture().join().orElseThrow();
            return !last[0].jobs().isEmpty() && last[0].jobs().stream().allMatch(j -> j.state() == state);
        }, () -> String.valueOf(last[0]));
        return last[0];
    }

    @Test
    void aTier1WarningReachesTheSmscAsTheRenderedUcs2TemplateAndIsDelivered() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (SmscSimulator smsc = new SmscSimulator("secret").start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "secret", 2).build(), cluster.stores(0))) {
            gw.start();
            Await.until("binds up", PATIENCE, () -> gw.health().stream().allMatch(BindHealth::isBound));
            PhoneNumber subscriber = number("13800138000");
            WarningRecord w = gw.warnings().warn(new WarningRequest(subscriber, FraudType.IMPERSONATING_AUTHORITIES, 1,
                    number("+86 171 0000 4321"), WarningRequest.Source.POLICE)).toCompletableFuture().join();
            assertEquals(1, w.jobIds().size());
            WarningStatus status = awaitAll(gw, w.id(), JobState.DELIVERED);

            String expected = GatewayFixture.TEMPLATES.forType(FraudType.IMPERSONATING_AUTHORITIES)
                    .render(Map.of(Placeholder.FRAUD_TYPE, "冒充公检法", Placeholder.FRAUD_LAST4, "4321"));
            assertEquals(List.of(expected), smsc.textsTo("8613800138000"));
            SmsJob job = status.jobs().get(0);
            assertTrue(job.parts() > 1, "the warning is longer than one part");
            assertEquals(job.parts(), job.messageIds().stream().filter(id -> !id.isEmpty()).count());
            for (SmscSimulator.Received r : smsc.accepted()) {
                assertEquals("12381", r.source());
                assertEquals(3, r.sourceTon());
                assertEquals(0x08, r.dataCoding());
                assertEquals(0x40, r.esmClass());
                assertEquals(1, r.registeredDelivery());
            }
        }
    }

    @Test
    void tier2SendsAFlashToTheSubscriberAndTheFamilyTemplateToConsentingContacts() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        PhoneNumber subscriber = number("13900139000");
        fx.family.put(subscriber, new FamilyContacts(subscriber, List.of(number("13700137001"), number("13700137002")),
                true, Instant.now()));
        try (SmscSimulator smsc = new SmscSimulator("secret").start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "secret", 1).build(), cluster.stores(0))) {
            gw.start();
            WarningRecord w = gw.warnings().warn(new WarningRequest(subscriber, FraudType.FAKE_INVESTMENT, 2, null,
                    WarningRequest.Source.CONTACT_EVENT)).toCompletableFuture().join();
            assertEquals(4, w.jobIds().size(), "flash, tier-1 SMS, two family contacts");
            awaitAll(gw, w.id(), JobState.DELIVERED);

            Map<Placeholder, String> values = Map.of(Placeholder.FRAUD_TYPE, "虚假网络投资理财", Placeholder.SUBSCRIBER_LAST4, "9000");
            List<SmscSimulator.Received> toSubscriber = smsc.accepted().stream()
                    .filter(r -> r.destination().equals("8613900139000")).toList();
            SmscSimulator.Received flash = toSubscriber.stream().filter(r -> r.dataCoding() == 0x18).findFirst().orElseThrow();
            assertEquals(0x00, flash.esmClass(), "a flash SMS is one part, without UDH");
            assertTrue(smsc.textsTo("8613900139000").contains(GatewayFixture.TEMPLATES.flash().render(values)));
            String familyText = GatewayFixture.TEMPLATES.family().render(values);
            assertEquals(List.of(familyText), smsc.textsTo("8613700137001"));
            assertEquals(List.of(familyText), smsc.textsTo("8613700137002"));
        }
    }

    @Test
    void noFamilySmsWithoutConsent() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        PhoneNumber subscriber = number("13900139111");
        fx.family.put(subscriber, new FamilyContacts(subscriber, List.of(number("13700137111")), false, null));
        try (SmscSimulator smsc = new SmscSimulator("secret").start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "secret", 1).build(), cluster.stores(0))) {
            gw.start();
            WarningRecord w = gw.warnings().warn(new WarningRequest(subscriber, FraudType.ROMANCE, 2, null,
                    WarningRequest.Source.POLICE)).toCompletableFuture().join();
            assertEquals(2, w.jobIds().size(), "flash and tier-1 SMS only");
            awaitAll(gw, w.id(), JobState.DELIVERED);
            assertEquals(List.of(), smsc.textsTo("8613700137111"));
        }
    }

    @Test
    void aSecondWarningForTheSameSubscriberAndTierWithinTheWindowIsADuplicateWithoutJobs() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (SmscSimulator smsc = new SmscSimulator("secret").start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "secret", 1).build(), cluster.stores(0))) {
            gw.start();
            PhoneNumber subscriber = number("13800138222");
            WarningRequest request = new WarningRequest(subscriber, FraudType.FAKE_LOAN, 1, null, WarningRequest.Source.CONTACT_EVENT);
            WarningRecord first = gw.warnings().warn(request).toCompletableFuture().join();
            WarningRecord second = gw.warnings().warn(request).toCompletableFuture().join();
            assertEquals(first.id(), second.duplicateOf());
            assertEquals(List.of(), second.jobIds());
            awaitAll(gw, first.id(), JobState.DELIVERED);
            assertEquals(1, smsc.textsTo("8613800138222").size());
        }
    }

    @Test
    void contactEventsBecomeTier1WarningsAndAreAcknowledgedOnceStored() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        InMemoryContactEventLog log = new InMemoryContactEventLog();
        PhoneNumber fraud = number("17100003333");
        for (String[] e : new String[][] {{"c1", "13800138444"}, {"c2", "13800138444"}, {"c3", "13800138555"}}) {
            log.publish(new ContactEvent(e[0], number(e[1]), fraud, ContactEvent.Direction.FRAUD_TO_SUBSCRIBER,
                    e[0] + "@pbx", Instant.now(), "interconnect", FraudType.FAKE_CUSTOMER_SERVICE));
        }
        try (SmscSimulator smsc = new SmscSimulator("secret").start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "secret", 1).build(), cluster.stores(0))) {
            gw.start();
            gw.consumeContactEvents(log);
            Await.until("events acknowledged", PATIENCE, () -> log.pending() == 0);
            String expected = GatewayFixture.TEMPLATES.forType(FraudType.FAKE_CUSTOMER_SERVICE)
                    .render(Map.of(Placeholder.FRAUD_TYPE, "冒充电商物流客服", Placeholder.FRAUD_LAST4, "3333"));
            // Wait for every part: a multi-part SMS counts as one text from its first part on.
            Await.until("both subscribers warned", PATIENCE, () -> smsc.textsTo("8613800138444").equals(List.of(expected))
                    && smsc.textsTo("8613800138555").equals(List.of(expected)));
            assertEquals(List.of(expected), smsc.textsTo("8613800138555"));
            assertEquals(1.0, fx.counter("smpp.warnings", "result", "duplicate"), "the second contact within the window");
        }
    }

    @Test
    void aTier2ContactEventFromALongCallSendsTheFlashWarning() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        InMemoryContactEventLog log = new InMemoryContactEventLog();
        ContactEvent invite = new ContactEvent("long-1", number("13800138666"), number("17100004444"),
                ContactEvent.Direction.FRAUD_TO_SUBSCRIBER, "long-1@pbx", Instant.now(), "interconnect", FraudType.ROMANCE);
        log.publish(invite.longCall(Instant.now()));
        try (SmscSimulator smsc = new SmscSimulator("secret").start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "secret", 1).build(), cluster.stores(0))) {
            gw.start();
            gw.consumeContactEvents(log);
            Await.until("event acknowledged", PATIENCE, () -> log.pending() == 0);
            Await.until("flash and tier-1 SMS sent", PATIENCE, () -> smsc.textsTo("8613800138666").size() == 2);
            assertTrue(smsc.received().stream().anyMatch(r -> r.destination().equals("8613800138666") && r.dataCoding() == 0x18),
                    "a flash SMS (data_coding 0x18) to the subscriber");
            assertEquals(1.0, fx.counter("smpp.warnings", "tier", "2", "result", "created"));
        }
    }

    @Test
    void aReceiptThatOvertakesItsSubmitRespWithTheIdOnlyInTheTextStillDeliversTheJob() throws Exception {
        GatewayFixture fx = new GatewayFixture();
        try (SmscSimulator smsc = new SmscSimulator("secret").receipts(ReceiptMode.BEFORE_RESPONSE, false).start();
             SmppGateway gw = fx.gateway(GatewayFixture.config(smsc, "secret", 1).build(), cluster.stores(0))) {
            gw.start();
            WarningRecord w = gw.warnings().warn(new WarningRequest(number("13800138333"), FraudType.FAKE_SHOPPING, 1,
                    number("17100001111"), WarningRequest.Source.POLICE)).toCompletableFuture().join();
            awaitAll(gw, w.id(), JobState.DELIVERED);
            assertTrue(fx.counter("smpp.deliver_sm", "type", "receipt") >= 2);
        }
    }
}
