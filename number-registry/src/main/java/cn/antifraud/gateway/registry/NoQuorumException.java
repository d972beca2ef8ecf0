package cn.antifraud.gateway.registry;

/**
 * A registry write refused because this member cannot see a quorum of the configured cluster (a
 * split brain, or a member cut off from its peers). Nothing was written: not to the cluster and not
 * to the database. The admin API answers it with 503 and this message, e.g.
 * {@code registry: no quorum, 1 of 3 members visible (quorum 2)}; the write may be retried on
 * another member or once the cluster has healed.
 */
public final class NoQuorumException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoQuorumException(String message) {
        super(message, null, false, false);
    }

    public NoQuorumException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
