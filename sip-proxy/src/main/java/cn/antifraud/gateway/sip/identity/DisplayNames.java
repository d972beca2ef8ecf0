package cn.antifraud.gateway.sip.identity;

import cn.antifraud.gateway.sip.message.NameAddress;
import cn.antifraud.gateway.sip.message.SipMessage;

/**
 * The display name of a name-addr (RFC 3261 §25.1 {@code display-name}), as text: quotes removed,
 * quoted-pairs undone, UTF-8 decoded. Empty when the element has none.
 */
final class DisplayNames {
    private DisplayNames() {
    }

    /** {@code element} as the ISO-8859-1 view over its bytes that SipMessage returns. */
    static String of(String element) {
        NameAddress a = NameAddress.parse(element);
        if (a == null || !a.bracketed()) {
            return "";
        }
        String raw = element.substring(0, a.uriStart()).trim();
        if (raw.length() >= 2 && raw.charAt(0) == '"' && raw.charAt(raw.length() - 1) == '"') {
            StringBuilder out = new StringBuilder(raw.length());
            for (int i = 1; i < raw.length() - 1; i++) {
                char c = raw.charAt(i);
                if (c == '\\' && i + 1 < raw.length() - 1) {
                    c = raw.charAt(++i);
                }
                out.append(c);
            }
            raw = out.toString();
        }
        return SipMessage.utf8(raw);
    }
}
