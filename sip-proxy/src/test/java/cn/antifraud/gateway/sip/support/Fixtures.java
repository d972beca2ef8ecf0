package cn.antifraud.gateway.sip.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Raw CRLF SIP fixtures from {@code src/test/resources/fixtures} (marked {@code -text} in git). */
public final class Fixtures {

    private Fixtures() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** A fixture with one literal replacement, for variants of a golden message. */
    public static byte[] replace(String name, String from, String to) {
        String text = text(name);
        if (!text.contains(from)) {
            throw new IllegalArgumentException(name + " does not contain " + from);
        }
        return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }
}
