package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The state of one bind, for the health endpoint.
 *
 * @param name        "smsc/system_id#n"
 * @param state       where the bind is in its life
 * @param since       when it entered that state
 * @param lastError   the last bind or connection error, e.g. "bind rejected: ESME_RINVPASWD 0x0000000E (wrong password)"; empty when none
 * @param outstanding submit_sm sent and not yet answered
 */
public record BindHealth(String name, State state, Instant since, String lastError, int outstanding) {

    /** Life of a bind. */
    public enum State { CONNECTING, BOUND, BACKOFF, AUTH_FAILED, DRAINING, CLOSED }

    public BindHealth {
        requireNonNull(name, "name");
        requireNonNull(state, "state");
        requireNonNull(since, "since");
        requireNonNull(lastError, "lastError");
    }

    public boolean isBound() {
        return state == State.BOUND;
    }
}
