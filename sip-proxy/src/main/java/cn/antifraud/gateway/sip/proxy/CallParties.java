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

    /**
     * {@link PhoneNumbers#parse} for a hot path fed by hostile input: an unusable number is null.
     * Any runtime exception is caught, not only {@code InvalidPhoneNumberException}: the fuzz test
     * found {@code "0"} and {@code "86"} throwing StringIndexOutOfBoundsException from the
     * normaliser, and one bad From must not cost a call.
     */
    static PhoneNumber number(String uriOrNumber) {
        try {
            return PhoneNumbers.parse(uriOrNumber);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static PhoneNumber from(SipMessage request) {
        return number(request.from().uri());
    }

    /** Numbers of every P-Asserted-Identity element that holds one (a sip: and a tel: form may both be present). */
    static List<PhoneNumber> assertedIdentities(SipMessage request) {
        List<PhoneNumber> out = new ArrayList<>(2);
        for (String element : request.values(SipHeaderNames.P_ASSERTED_IDENTITY)) {
            NameAddress a = NameAddress.parse(element);
            PhoneNumber n = a == null ? null : number(a.uri());
            if (n != null && !out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    static PhoneNumber called(SipMessage request) {
        PhoneNumber n = number(request.requestUri());
        return n != null ? n : number(request.to().uri());
    }
}
