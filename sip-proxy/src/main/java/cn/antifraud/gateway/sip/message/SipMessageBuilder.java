package cn.antifraud.gateway.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Edits a copy of a {@link SipMessage} the way a proxy does (RFC 3261 §16.6, RFC 3325, RFC 9796)
 * and writes it out. Lines no edit touched are copied from the original bytes unchanged; edited
 * lines are rewritten whole with CRLF. The body is never touched, so Content-Length stays right.
 */
public final class SipMessageBuilder {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final String[] RCD_PARAMS = {"purpose", "call-reason"};

    private final SipMessage original;
    private final byte[] raw;
    private final List<Line> lines;

    private SipMessageBuilder(SipMessage original) {
        this.original = original;
        this.raw = original.rawBytes();
        this.lines = new ArrayList<>(original.headers().size() + 4);
        for (HeaderField h : original.headers()) {
            lines.add(new Line(h.canonicalName(), raw, h.lineStart(), h.valueStart(), h.valueEnd(), h.lineEnd()));
        }
    }

    /** Starts editing a copy of {@code message}. */
    public static SipMessageBuilder from(SipMessage message) {
        return new SipMessageBuilder(message);
    }

    /** Adds a Via above all others (RFC 3261 §16.6 step 8); {@code value} is a complete via-parm. */
    public SipMessageBuilder pushVia(String value) {
        int first = indexOf(SipHeaderNames.VIA);
        lines.add(Math.max(first, 0), newLine(SipHeaderNames.VIA, value.getBytes(StandardCharsets.ISO_8859_1)));
        return this;
    }

    /** Removes the topmost Via element (RFC 3261 §16.7 step 3); other elements of its line stay. */
    public SipMessageBuilder popVia() {
        return removeFirstElement(SipHeaderNames.VIA);
    }

    /** Removes the topmost Route element (RFC 3261 §16.4, §16.6 step 6). */
    public SipMessageBuilder popRoute() {
        return removeFirstElement(SipHeaderNames.ROUTE);
    }

    /**
     * Sets {@code received} and, when asked for, {@code rport} on the top Via (RFC 3261 §18.2.1,
     * RFC 3581 §4); {@code rport} null leaves rport as it is.
     */
    public SipMessageBuilder setTopViaReceived(String received, Integer rport) {
        int i = indexOf(SipHeaderNames.VIA);
        if (i < 0) {
            return this;
        }
        Line line = lines.get(i);
        String value = line.value();
        List<int[]> elements = HeaderValues.split(value, 1);
        if (elements.isEmpty()) {
            return this;
        }
        int[] e = elements.get(0);
        String element = value.substring(e[0], e[1]);
        if (received != null) {
            element = setParam(element, "received", received);
        }
        if (rport != null) {
            element = setParam(element, "rport", Integer.toString(rport));
        }
        lines.set(i, line.withValue(value.substring(0, e[0]) + element + value.substring(e[1])));
        return this;
    }

    /**
     * Decrements Max-Forwards, or adds {@code Max-Forwards: 70} when the request has none
     * (RFC 3261 §16.6 step 3). The caller answered 483 already when it was zero.
     */
    public SipMessageBuilder decrementMaxForwards() {
        int i = indexOf(SipHeaderNames.MAX_FORWARDS);
        if (i < 0) {
            lines.add(newLine(SipHeaderNames.MAX_FORWARDS, "70".getBytes(StandardCharsets.ISO_8859_1)));
            return this;
        }
        int current = original.maxForwards();
        lines.set(i, lines.get(i).withValue(Integer.toString(Math.max(current - 1, 0))));
        return this;
    }

    /** Adds a Record-Route above the others (RFC 3261 §16.6 step 4); {@code value} is {@code <uri>}. */
    public SipMessageBuilder addRecordRoute(String value) {
        int first = indexOf(SipHeaderNames.RECORD_ROUTE);
        if (first < 0) {
            first = lastIndexOf(SipHeaderNames.VIA) + 1;
        }
        lines.add(first, newLine(SipHeaderNames.RECORD_ROUTE, value.getBytes(StandardCharsets.ISO_8859_1)));
        return this;
    }

    /**
     * Replaces the display name of From with {@code displayName} as a quoted string (RFC 3261 §25.1);
     * null removes the display name (the element becomes {@code <uri>;params}).
     */
    public SipMessageBuilder setFromDisplayName(String displayName) {
        int i = indexOf(SipHeaderNames.FROM);
        if (i >= 0) {
            lines.set(i, lines.get(i).withValue(withDisplayName(lines.get(i).value(), displayName)));
        }
        return this;
    }

    /** Replaces the display name of every P-Asserted-Identity element (RFC 3325 §9.1). */
    public SipMessageBuilder setPAssertedIdentityDisplayName(String displayName) {
        return replacePAssertedIdentityDisplayNames(address -> true, address -> displayName);
    }

    /**
     * Replaces the display name of each P-Asserted-Identity element {@code which} selects with what
     * {@code names} gives for it (null: no display name). Other elements keep their bytes; elements
     * that are not name-addr or addr-spec are left as they are.
     */
    public SipMessageBuilder replacePAssertedIdentityDisplayNames(java.util.function.Predicate<NameAddress> which,
                                                                  java.util.function.Function<NameAddress, String> names) {
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (line.is(SipHeaderNames.P_ASSERTED_IDENTITY)) {
                String value = HeaderValues.unfold(line.value());
                StringBuilder out = new StringBuilder(value.length() + 32);
                boolean changed = false;
                for (int[] e : HeaderValues.split(value)) {
                    String element = value.substring(e[0], e[1]);
                    NameAddress address = NameAddress.parse(element);
                    boolean replace = address != null && which.test(address);
                    changed |= replace;
                    out.append(out.length() == 0 ? "" : ", ").append(replace ? withDisplayName(element, names.apply(address)) : element);
                }
                if (changed) {
                    lines.set(i, line.withValue(out.toString()));
                }
            }
        }
        return this;
    }

    /** Removes every P-Asserted-Identity (RFC 3325 §5: not passed on from outside the trust domain). */
    public SipMessageBuilder removePAssertedIdentity() {
        lines.removeIf(l -> l.is(SipHeaderNames.P_ASSERTED_IDENTITY));
        return this;
    }

    /**
     * Removes every Call-Info element whose purpose is {@code jcard} (RFC 9796 §4) or {@code icon}
     * (RFC 3261 §20.9): the caller-ID branding only a trusted element may add. Other elements, and
     * lines without such elements, are left byte for byte.
     */
    public SipMessageBuilder removeRichCallDataCallInfo() {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Line line = lines.get(i);
            if (!line.is(SipHeaderNames.CALL_INFO)) {
                continue;
            }
            String value = line.value();
            List<int[]> elements = HeaderValues.split(value);
            StringBuilder kept = new StringBuilder(value.length());
            int removed = 0;
            for (int[] e : elements) {
                String element = value.substring(e[0], e[1]);
                if (isRichCallData(element)) {
                    removed++;
                } else {
                    kept.append(kept.length() == 0 ? "" : ", ").append(element);
                }
            }
            if (removed == elements.size()) {
                lines.remove(i);
            } else if (removed > 0) {
                lines.set(i, line.withValue(kept.toString()));
            }
        }
        return this;
    }

    /**
     * True when a Call-Info element has purpose jcard or icon, or carries an RFC 9796 §5
     * {@code call-reason}: whatever a handset could show as a caller's card.
     */
    public static boolean isRichCallData(String element) {
        String[] found = HeaderValues.params(element, 0, RCD_PARAMS);
        if (found[1] != null) {
            return true;
        }
        String purpose = found[0];
        if (purpose == null) {
            return false;
        }
        String p = purpose.toLowerCase(Locale.ROOT);
        return p.equals("jcard") || p.equals("icon");
    }

    /** Adds a Call-Info line after the existing ones; {@code value} may hold UTF-8 text. */
    public SipMessageBuilder addCallInfo(String value) {
        int last = lastIndexOf(SipHeaderNames.CALL_INFO);
        Line line = newLine(SipHeaderNames.CALL_INFO, value.getBytes(StandardCharsets.UTF_8));
        lines.add(last >= 0 ? last + 1 : lines.size(), line);
        return this;
    }

    /**
     * Removes every Identity field (RFC 8224 §4) whose value {@code which} selects; other Identity
     * fields stay byte for byte. An Identity value holds no comma, so one line is one value.
     */
    public SipMessageBuilder removeIdentities(java.util.function.Predicate<String> which) {
        lines.removeIf(l -> l.is("Identity") && which.test(l.value()));
        return this;
    }

    /** Adds an Identity field (RFC 8224 §4) after the other header fields; {@code value} is ASCII. */
    public SipMessageBuilder addIdentity(String value) {
        lines.add(newLine("Identity", value.getBytes(StandardCharsets.US_ASCII)));
        return this;
    }

    /** The number of bytes {@link #build()} would write now. */
    public int size() {
        int separator = separator();
        int size = original.startLineEnd() + (separator >= original.bodyStart() ? CRLF.length : 0) + raw.length - separator;
        for (Line line : lines) {
            size += line.end - line.start;
        }
        return size;
    }

    /** Where the header section of the original ends: after its last header line (or the start line). */
    private int separator() {
        return original.headers().isEmpty()
                ? original.startLineEnd()
                : original.headers().get(original.headers().size() - 1).lineEnd();
    }

    /** Writes the edited message. */
    public byte[] build() {
        int separator = separator();
        boolean addBlankLine = separator >= original.bodyStart();
        // The size is known before writing: one exact array, no growing stream and no final copy.
        byte[] out = new byte[size()];
        System.arraycopy(raw, 0, out, 0, original.startLineEnd());
        int p = original.startLineEnd();
        for (Line line : lines) {
            System.arraycopy(line.buf, line.start, out, p, line.end - line.start);
            p += line.end - line.start;
        }
        if (addBlankLine) {
            System.arraycopy(CRLF, 0, out, p, CRLF.length);
            p += CRLF.length;
        }
        System.arraycopy(raw, separator, out, p, raw.length - separator);
        return out;
    }

    private SipMessageBuilder removeFirstElement(String name) {
        int i = indexOf(name);
        if (i < 0) {
            return this;
        }
        Line line = lines.get(i);
        String value = line.value();
        List<int[]> elements = HeaderValues.split(value, 2);
        if (elements.size() <= 1) {
            lines.remove(i);
        } else {
            lines.set(i, line.withValue(value.substring(elements.get(1)[0])));
        }
        return this;
    }

    private int indexOf(String name) {
        boolean constant = SipHeaderNames.isConstant(name);
        for (int i = 0; i < lines.size(); i++) {
            if (SipHeaderNames.matches(lines.get(i).canonical, name, constant)) {
                return i;
            }
        }
        return -1;
    }

    private int lastIndexOf(String name) {
        boolean constant = SipHeaderNames.isConstant(name);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (SipHeaderNames.matches(lines.get(i).canonical, name, constant)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Rewrites one name-addr element with a new quoted display name (null: none); the URI and
     * parameters are kept. A malformed element is returned as it is: the parser refused such From and
     * To headers, and the proxy refuses such P-Asserted-Identity elements, before any rewrite.
     */
    private static String withDisplayName(String element, String displayName) {
        String unfolded = HeaderValues.unfold(element);
        NameAddress address = NameAddress.parse(unfolded);
        if (address == null) {
            return element;
        }
        String quoted = displayName == null ? "" : "\"" + QuotedString.escape(displayName) + "\" ";
        String rest;
        if (address.bracketed()) {
            rest = unfolded.substring(address.uriStart());
        } else {
            int uriAt = unfolded.indexOf(address.uri(), address.uriStart());
            rest = "<" + address.uri() + ">" + unfolded.substring(uriAt + address.uri().length());
        }
        // The display name is UTF-8 (RFC 3261 §25.1 TEXT-UTF8); the rest stays as its raw bytes.
        return new String(quoted.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1) + rest;
    }

    private static String setParam(String element, String name, String value) {
        int at = paramStart(element, name);
        if (at < 0) {
            return element + ";" + name + "=" + value;
        }
        int end = element.indexOf(';', at + 1);
        return element.substring(0, at) + ";" + name + "=" + value + (end < 0 ? "" : element.substring(end));
    }

    private static int paramStart(String element, String name) {
        boolean quoted = false;
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                int j = i + 1;
                while (j < element.length() && HeaderValues.isLws(element.charAt(j))) {
                    j++;
                }
                int k = j + name.length();
                if (HeaderValues.regionMatchesIgnoreCase(element, j, name)
                        && (k == element.length() || element.charAt(k) == '=' || element.charAt(k) == ';'
                        || HeaderValues.isLws(element.charAt(k)))) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static Line newLine(String name, byte[] value) {
        byte[] buf = new byte[name.length() + 2 + value.length + 2];
        int p = 0;
        for (int i = 0; i < name.length(); i++) {
            buf[p++] = (byte) name.charAt(i);
        }
        buf[p++] = ':';
        buf[p++] = ' ';
        System.arraycopy(value, 0, buf, p, value.length);
        p += value.length;
        buf[p++] = '\r';
        buf[p] = '\n';
        return new Line(name, buf, 0, name.length() + 2, name.length() + 2 + value.length, buf.length);
    }

    /** One header line: a slice of the original bytes or a new array. */
    private static final class Line {
        final String canonical;
        final byte[] buf;
        final int start;
        final int valueStart;
        final int valueEnd;
        final int end;

        Line(String canonical, byte[] buf, int start, int valueStart, int valueEnd, int end) {
            this.canonical = canonical;
            this.buf = buf;
            this.start = start;
            this.valueStart = valueStart;
            this.valueEnd = valueEnd;
            this.end = end;
        }

        boolean is(String name) {
            return SipHeaderNames.matches(canonical, name, SipHeaderNames.isConstant(name));
        }

        String value() {
            return new String(buf, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
        }

        /** The same name as written, with a new value given as ISO-8859-1 text over bytes. */
        Line withValue(String latin1Value) {
            int prefix = valueStart - start;
            byte[] value = latin1Value.getBytes(StandardCharsets.ISO_8859_1);
            byte[] out = new byte[prefix + value.length + 2];
            System.arraycopy(buf, start, out, 0, prefix);
            System.arraycopy(value, 0, out, prefix, value.length);
            out[out.length - 2] = '\r';
            out[out.length - 1] = '\n';
            return new Line(canonical, out, 0, prefix, prefix + value.length, out.length);
        }
    }
}
