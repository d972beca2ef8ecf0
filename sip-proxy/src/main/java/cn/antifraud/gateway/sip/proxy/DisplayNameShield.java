package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.sip.message.NameAddress;
import cn.antifraud.gateway.sip.message.SipHeaderNames;
import cn.antifraud.gateway.sip.message.SipMessage;
import cn.antifraud.gateway.sip.message.SipMessageBuilder;
import cn.antifraud.gateway.sip.message.SipUri;

/**
 * Only the gateway's own branding may put a card-like name on a call (issue 10): on an INVITE it did
 * not brand, a From or P-Asserted-Identity display name that imitates a {@link ProtectedNames
 * protected name} is removed, or replaced by the number of its own URI. Display names are what a
 * handset shows as the caller (RFC 3261 §20.20, RFC 3325 §9.1), so a name such as 国家反诈中心 on an
 * impostor's call would pass as a police card without this.
 */
final class DisplayNameShield {
    private final ProtectedNames names;

    DisplayNameShield(ProtectedNames names) {
        this.names = names;
    }

    /**
     * The protected name the INVITE's From or P-Asserted-Identity display names imitate, or null.
     * P-Asserted-Identity is only read when {@code withPai} (it is removed from untrusted requests).
     */
    ProtectedNames.Match check(SipMessage invite, boolean withPai) {
        ProtectedNames.Match m = match(invite.from().displayName());
        if (m != null || !withPai) {
            return m;
        }
        for (String element : invite.values(SipHeaderNames.P_ASSERTED_IDENTITY)) {
            NameAddress a = NameAddress.parse(element);
            if (a != null && (m = match(a.displayName())) != null) {
                return m;
            }
        }
        return null;
    }

    /**
     * Neutralises every imitating display name in {@code out}: removed, or with {@code numberAsName}
     * replaced by the number of its own URI (removed when the URI holds no number).
     */
    void neutralise(SipMessage invite, SipMessageBuilder out, boolean numberAsName) {
        NameAddress from = invite.from();
        if (match(from.displayName()) != null) {
            out.setFromDisplayName(numberAsName ? number(from) : null);
        }
        out.replacePAssertedIdentityDisplayNames(a -> match(a.displayName()) != null,
                a -> numberAsName ? number(a) : null);
    }

    private ProtectedNames.Match match(String latin1DisplayName) {
        if (latin1DisplayName.isEmpty()) {
            return null;
        }
        return names.find(DisplayNameNormaliser.normaliseUtf8(latin1DisplayName, ProtectedNames.MAX_SCANNED));
    }

    /** The user part of a sip/sips URI or the number of a tel URI when it is a phone number (+ and digits), else null. */
    private static String number(NameAddress address) {
        SipUri uri = SipUri.parse(address.uri());
        String user = uri == null ? null : uri.user();
        if (user == null || user.isEmpty()) {
            return null;
        }
        int semi = user.indexOf(';');
        if (semi >= 0) {
            user = user.substring(0, semi);
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c == '+' && i == 0)) {
                return null;
            }
        }
        return user.length() > 1 ? user : null;
    }
}
