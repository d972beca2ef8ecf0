package cn.antifraud.gateway.app.config;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.auth.TokenEntry;
import java.time.Duration;
import java.util.List;

/**
 * The admin API's listener, pools, limits and timeouts, and its tokens.
 *
 * @param host               address to bind; loopback by default, the API is for the operator's own hosts
 * @param port               TCP port; 0 picks a free one (tests)
 * @param maxBodyBytes       largest JSON body; larger gets 413
 * @param maxImportBytes     largest CSV import body (streamed, never held in memory); larger gets 413
 * @param workers            threads that run registry calls (they block: cluster round trips, JDBC)
 * @param queue              requests that may wait for a worker before the API answers 503
 * @param importWorkers      threads that run bulk imports, apart from the workers; beyond them 503
 * @param maxImportsPerToken imports one token may run at once; beyond it 429
 * @param readTimeout        silence in the middle of a request before it is cut (408)
 * @param idleTimeout        a kept-alive connection without a request is closed after this
 * @param requestTimeout     a request (head and JSON body) must arrive whole within this (408)
 * @param importTimeout      a streamed import body must arrive whole within this (408)
 * @param tokens             configured tokens (hashes only)
 */
public record AdminSettings(String host, int port, int maxBodyBytes, long maxImportBytes, int workers, int queue,
                            int importWorkers, int maxImportsPerToken, Duration readTimeout, Duration idleTimeout,
                            Duration requestTimeout, Duration importTimeout, List<TokenEntry> tokens) {
    public AdminSettings {
        requireNonNull(host, "host");
        requireNonNull(readTimeout, "readTimeout");
        requireNonNull(idleTimeout, "idleTimeout");
        requireNonNull(requestTimeout, "requestTimeout");
        requireNonNull(importTimeout, "importTimeout");
        tokens = List.copyOf(tokens);
    }
}
