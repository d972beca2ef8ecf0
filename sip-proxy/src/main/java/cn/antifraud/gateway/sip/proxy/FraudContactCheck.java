package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudNumberLookup;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.sip.FraudAction;
import cn.antifraud.gateway.sip.SipProxyConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Finds a contact with a listed fraud number (分级预警 tier 1): the caller or the callee of an
 * initial INVITE is an active fraud number. The answer is either a {@link ContactEvent} to publish,
 * whose id is derived from the Call-ID so that retransmissions make one event, or a rejection when
 * the number's own policy or its fraud type's configured policy says so.
 */
final class FraudContactCheck {
    private final FraudNumberLookup fraudNumbers;
    private final SipProxyConfig config;

    FraudContactCheck(FraudNumberLookup fraudNumbers, SipProxyConfig config) {
        this.fraudNumbers = fraudNumbers;
        this.config = config;
    }

    /** The outcome of the check. */
    record Contact(FraudNumber fraudNumber, ContactEvent event, boolean reject) {
    }

    /**
     * The contact of this INVITE, if any. Completes at once when this node's near cache knows both
     * parties (the usual case); otherwise when the registry's partition owner has answered, so a fraud
     * number's first call on a node is not missed. Never blocks.
     */
    CompletionStage<Optional<Contact>> check(PhoneNumber caller, PhoneNumber callee, String callId, String ingress,
                                             Instant now) {
        if (caller == null || callee == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<FraudNumber>> calling = fraudNumbers.activeFraudNumberEventually(caller, now)
                .toCompletableFuture();
        CompletableFuture<Optional<FraudNumber>> called = fraudNumbers.activeFraudNumberEventually(callee, now)
                .toCompletableFuture();
        return calling.thenCombine(called, (fromCaller, fromCallee) -> {
            if (fromCaller.isPresent()) {
                return Optional.of(contact(fromCaller.get(), callee, ContactEvent.Direction.FRAUD_TO_SUBSCRIBER, callId, ingress, now));
            }
            return fromCallee.map(f -> contact(f, caller, ContactEvent.Direction.SUBSCRIBER_TO_FRAUD, callId, ingress, now));
        });
    }

    private Contact contact(FraudNumber fraud, PhoneNumber subscriber, ContactEvent.Direction direction,
                            String callId, String ingress, Instant now) {
        boolean reject = fraud.rejectCalls() || config.fraudAction(fraud.fraudType()) == FraudAction.REJECT_608;
        String id = eventId(callId, fraud.number(), subscriber);
        return new Contact(fraud, new ContactEvent(id, subscriber, fraud.number(), direction, callId, now, ingress,
                fraud.fraudType()), reject);
    }

    /** A name-based UUID of Call-ID and the two numbers: the same for every retransmission of the INVITE. */
    static String eventId(String callId, PhoneNumber fraud, PhoneNumber subscriber) {
        byte[] key = ("sip-contact|" + callId + '|' + fraud.e164() + '|' + subscriber.e164()).getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(key).toString();
    }
}
