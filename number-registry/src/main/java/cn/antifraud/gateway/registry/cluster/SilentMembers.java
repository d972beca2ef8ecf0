package cn.antifraud.gateway.registry.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Finds the configured members that accept a TCP connection but never answer Hazelcast's member protocol: a
 * frozen process (SIGSTOP) or a paused VM, whose kernel still completes the connection. Such an address keeps a
 * starting member from electing a master: Hazelcast's mastership claim waits for a yes from every address it
 * could not rule out, and one that refuses connections is ruled out at once, one that accepts is not
 * ({@link RegistryMember} joins without the silent ones).
 *
 * <p>The probe speaks the first step of the member protocol: it sends the three protocol bytes {@code HZC},
 * to which a running member's endpoint answers with the same three bytes, and closes. An address that answers
 * anything, refuses, or cannot be reached is not silent: Hazelcast's own join handles it.
 */
final class SilentMembers {

    private static final byte[] PROTOCOL = "HZC".getBytes(StandardCharsets.US_ASCII);

    private SilentMembers() {
    }

    /**
     * The addresses of {@code members} (host:port) other than {@code self} that accept but do not answer, twice in
     * a row, within {@code patience} each. All are probed at once: a few milliseconds when every member answers or
     * refuses, twice {@code patience} when one is silent.
     */
    static List<String> find(List<String> members, String self, Duration patience) {
        List<String> others = members.stream().filter(m -> !m.equals(self)).toList();
        if (others.isEmpty()) {
            return List.of();
        }
        ExecutorService probes = Executors.newFixedThreadPool(others.size(), r -> {
            Thread t = new Thread(r, "registry-member-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<Boolean>> silent = new ArrayList<>();
            for (String m : others) {
                // Twice: a member that is itself starting has its port bound a moment before it answers.
                silent.add(CompletableFuture.supplyAsync(() -> silent(m, patience) && silent(m, patience), probes));
            }
            List<String> found = new ArrayList<>();
            for (int i = 0; i < others.size(); i++) {
                if (silent.get(i).join()) {
                    found.add(others.get(i));
                }
            }
            return found;
        } finally {
            probes.shutdownNow();
        }
    }

    /** True when {@code member} accepted the connection and said nothing within {@code patience}. */
    static boolean silent(String member, Duration patience) {
        int colon = member.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(member.substring(0, colon), Integer.parseInt(member.substring(colon + 1)));
        } catch (IllegalArgumentException unparsable) {
            return false; // RegistryConfig checked the list; Hazelcast reports what it cannot use
        }
        if (address.isUnresolved()) {
            return false;
        }
        int millis = (int) Math.max(1, patience.toMillis());
        try (Socket s = new Socket()) {
            try {
                s.connect(address, millis);
            } catch (IOException refusedOrUnreachable) {
                return false; // Hazelcast rules these out itself
            }
            s.setSoTimeout(millis);
            s.getOutputStream().write(PROTOCOL);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            try {
                in.read(); // a byte or the end of the stream: something answers
                return false;
            } catch (SocketTimeoutException noAnswer) {
                return true;
            }
        } catch (IOException resetOrClosed) {
            return false;
        }
    }
}
