package cn.antifraud.gateway.app.admin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP by hand, for requests a well-behaved client refuses to send (bad escapes, trickled bytes). */
final class RawHttp {
    private RawHttp() {
    }

    /** Sends {@code request} as is and returns the answer's status line, or "closed" when the server closed without one. */
    static String statusLine(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return line == null ? "closed" : line;
        }
    }
}
