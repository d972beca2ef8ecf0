package cn.antifraud.gateway.smpp.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node-smpp SMSC simulator (loadtest/smsc-sim/smsc.js) as a child process on a free loopback port: an
 * independent SMPP peer sharing no code with jsmpp. It records each receipt it sends in a log, which
 * {@link #receiptsSent()} reads back so a test compares job states with what the SMSC said.
 */
public final class NodeSmsc implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern RECEIPT = Pattern.compile("\"id\":\"([^\"]+)\",\"receiptId\":\"([^\"]+)\",\"stat\":\"([A-Z]+)\"");

    private final Process process;
    private final Path receiptsLog;
    private final int port;

    /** Starts the simulator with extra options (see smsc.js), e.g. {@code "--id-format", "decimal"}. */
    public NodeSmsc(Path workDir, String... options) throws IOException {
        Path script = repoRoot().resolve("loadtest/smsc-sim/smsc.js");
        if (!Files.isDirectory(script.getParent().resolve("node_modules/smpp"))) {
            throw new IllegalStateException("the node-smpp simulator's package is missing: run scripts/install-test-deps.sh");
        }
        Files.createDirectories(workDir);
        receiptsLog = workDir.resolve("receipts.jsonl");
        List<String> command = new ArrayList<>(List.of("node", script.toString(), "--port", "0", "--lifetime-s", "1200",
                "--receipts-log", receiptsLog.toString()));
        command.addAll(List.of(options));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = line == null ? null : LISTENING.matcher(line);
        if (m == null || !m.find()) {
            process.destroyForcibly();
            throw new IllegalStateException("smsc-sim did not start: " + line);
        }
        port = Integer.parseInt(m.group(1));
        // Keep draining its output so it never blocks on a full pipe.
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "smsc-sim-output");
        drain.setDaemon(true);
        drain.start();
    }

    private static Path repoRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("loadtest")) ? here : here.getParent();
    }

    public int port() {
        return port;
    }

    /** Submit_sm_resp id → the stat of the receipt sent for it (DELIVRD, UNDELIV, EXPIRED), as logged so far. */
    public Map<String, String> receiptsSent() {
        Map<String, String> sent = new HashMap<>();
        try {
            for (String line : Files.readAllLines(receiptsLog, StandardCharsets.UTF_8)) {
                Matcher m = RECEIPT.matcher(line);
                if (m.find()) {
                    sent.put(m.group(1), m.group(3));
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return sent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sent;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
