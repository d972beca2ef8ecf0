package cn.antifraud.gateway.app.config;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.auth.TokenEntry;
import java.util.List;

/**
 * The admin API's listener and limits, and its tokens.
 *
 * @param host           address to bind; loopback by default, the API is for the operator's own hosts
 * @param port           TCP port; 0 picks a free one (tests)
 * @param maxBodyBytes   largest JSON body; larger gets 413
 * @param maxImportBytes largest CSV import body (streamed, never held in memory); larger gets 413
 * @param workers        threads that run registry calls (they block: cluster round trips, JDBC)
 * @param queue          requests that may wait for a worker before the API answers 503
 * @param tokens         configured tokens (hashes only)
 */
public record AdminSettings(String host, int port, int maxBodyBytes, long maxImportBytes, int workers, int queue,
                            List<TokenEntry> tokens) {
    public AdminSettings {
        requireNonNull(host, "host");
        tokens = List.copyOf(tokens);
    }
}
