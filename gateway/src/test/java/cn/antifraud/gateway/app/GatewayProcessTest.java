package cn.antifraud.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as its own process, the way bin/gateway and a service manager run it: one line says
 * ready, SIGHUP reloads a changed number list without a restart, and SIGTERM stops it cleanly with
 * exit status 0 (not the JVM's 143).
 */
class GatewayProcessTest {
    private static final String TOKEN = "process-test-token";
    /** Only against a hung process: every wait below ends on a condition. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(5);
    private static final Pattern READY = Pattern.compile("gateway process-test ready: admin API http://127\\.0\\.0\\.1:(\\d+)/health");

    @TempDir
    Path dir;

    private Process process;
    private Thread reader;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HANG_GUARD).build();

    @AfterEach
    void killLeftover() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private void writeWarnings(String cardName) throws IOException {
        Files.writeString(dir.resolve("warning-numbers.yaml"), "warning-numbers:\n"
                + "  - number: \"96110\"\n"
                + "    card-name: " + cardName + "\n"
                + "    call-reason: 用户您好，该电话来自于国家反诈部门，请您接听！\n"
                + "    agency: 公安部刑事侦查局国家反诈中心\n"
                + "    verified-by: ops-example\n"
                + "    verified-at: 2026-01-01T00:00:00Z\n", StandardCharsets.UTF_8);
    }

    private Path config() throws IOException {
        return config("127.0.0.1:0");
    }

    private Path config(String adminBind) throws IOException {
        String yaml = "node: { id: process-test, data-dir: \"" + dir.resolve("data") + "\" }\n"
                + "cluster: { name: process-test-" + System.nanoTime() + ", bind: \"127.0.0.1:0\" }\n"
                + "sip:\n  listeners:\n    - { transport: udp, address: 127.0.0.1, port: 0 }\n"
                + "admin: { bind: \"" + adminBind + "\" }\n"
                + "lists:\n  warning-numbers: [warning-numbers.yaml]\n";
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    private void startGateway(Path config) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // env --default-signal=HUP: a test run started under nohup (which ignores SIGHUP, and a child
        // inherits that) must still let the gateway handle SIGHUP, as a service manager does.
        ProcessBuilder pb = new ProcessBuilder("env", "--default-signal=HUP", java, "-Xmx384m", "-Dhazelcast.phone.home.enabled=false",
                "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(), "--config", config.toString())
                .redirectErrorStream(true);
        pb.environment().put("GATEWAY_ADMIN_TOKEN", TOKEN);
        process = pb.start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.add(line);
                }
            } catch (IOException ended) {
                // the process is gone; what it wrote is in the log
            }
        }, "gateway-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    private String cardName(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/warning-numbers/96110"))
                .timeout(HANG_GUARD).header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body()).get("cardName").asText();
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "still not true after " + HANG_GUARD + ": " + what + "; log: " + log);
            assertTrue(process.isAlive() || condition.getAsBoolean(), "the gateway exited: " + log);
            Thread.sleep(50);
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor(),
                "kill -" + name);
    }

    private long linesContaining(String text) {
        return log.stream().filter(l -> l.contains(text)).count();
    }

    @Test
    void readyOnceReloadsOnSighupAndExitsZeroOnSigterm() throws Exception {
        writeWarnings("国家反诈中心");
        startGateway(config());
        await("the ready line", () -> log.stream().anyMatch(l -> READY.matcher(l).find()));
        Matcher ready = log.stream().map(READY::matcher).filter(Matcher::find).findFirst().orElseThrow();
        int port = Integer.parseInt(ready.group(1));
        assertEquals("国家反诈中心", cardName(port));

        writeWarnings("国家反诈中心（新）");
        signal("HUP");
        await("the reload's log line", () -> linesContaining("reload number lists: 1 written (warning +8696110)") == 1);
        assertEquals("国家反诈中心（新）", cardName(port), "applied without a restart");
        assertTrue(process.isAlive(), "SIGHUP does not stop the gateway");

        // kill(1), not Process.destroy(): that sends SIGTERM too but closes our end of the output pipe.
        signal("TERM");
        assertTrue(process.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "stopped: " + log);
        assertEquals(0, process.exitValue(), "a clean SIGTERM shutdown exits 0: " + log);
        reader.join(HANG_GUARD.toMillis());
        assertEquals(1, linesContaining("gateway stopped"), log.toString());
        assertEquals(1, log.stream().filter(l -> l.contains(" ready")).count(), "one line says ready: " + log);
        assertEquals(1, linesContaining("SIGTERM received: shutting down"), log.toString());
    }

    @Test
    void anAdminPortInUseEndsTheProcessWithStatusOneAndSaysWhy() throws Exception {
        writeWarnings("国家反诈中心");
        // Found in a bin/test run: the admin port was taken between choosing and binding it; Netty's
        // BindException (checked) escaped the startup's catch, the main thread died, and Hazelcast's
        // threads kept a JVM with no admin API and no ready line alive until the script's 300 s bound.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            startGateway(config("127.0.0.1:" + taken.getLocalPort()));
            assertTrue(process.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "the process ended: " + log);
        }
        assertEquals(1, process.exitValue(), log.toString());
        reader.join(HANG_GUARD.toMillis());
        assertTrue(log.stream().anyMatch(l -> l.contains("startup failed") && l.contains("Address already in use")), log.toString());
        assertEquals(0, linesContaining(" ready"), "no ready line: " + log);
    }
}
