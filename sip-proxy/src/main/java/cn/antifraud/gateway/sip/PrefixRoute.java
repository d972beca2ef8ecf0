package cn.antifraud.gateway.sip;

import java.util.Objects;

/**
 * Sends initial requests whose called number starts with {@code prefix} to {@code nextHop}. The
 * called number is the normalised Request-URI user ({@code PhoneNumbers.parse}); a prefix with a
 * leading {@code +} matches the E.164 form ({@code +86138}), one without matches the national
 * number ({@code 138}). The longest matching prefix wins.
 *
 * @param prefix  digits, optionally with a leading '+'
 * @param nextHop where to send
 */
public record PrefixRoute(String prefix, NextHop nextHop) {

    public PrefixRoute {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(nextHop, "nextHop");
        String digits = prefix.startsWith("+") ? prefix.substring(1) : prefix;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("route prefix must be digits with an optional leading +, was '" + prefix + "'");
        }
    }
}
