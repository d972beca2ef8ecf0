package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.sip.message.NameAddress;
import cn.antifraud.gateway.sip.message.SipHeaderNames;
import cn.antifraud.gateway.sip.message.SipMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The phone numbers of a request, read with {@link PhoneNumbers} (the one normaliser): the caller
 * per From and per P-Asserted-Identity (RFC 3325 §9.1), and the called number per Request-URI,
 * falling back to To.
 */
final class CallParties {

    private CallParties() {
    }

    static PhoneNumber from(SipMessage request) {
        return PhoneNumbers.parseOrNull(request.from().uri());
    }

    /** Numbers of every P-Asserted-Identity element that holds one (a sip: and a tel: form may both be present). */
    static List<PhoneNumber> assertedIdentities(SipMessage request) {
        List<PhoneNumber> out = new ArrayList<>(2);
        for (String element : request.values(SipHeaderNames.P_ASSERTED_IDENTITY)) {
            NameAddress a = NameAddress.parse(element);
            PhoneNumber n = a == null ? null : PhoneNumbers.parseOrNull(a.uri());
            if (n != null && !out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    static PhoneNumber called(SipMessage request) {
        PhoneNumber n = PhoneNumbers.parseOrNull(request.requestUri());
        return n != null ? n : PhoneNumbers.parseOrNull(request.to().uri());
    }
}
