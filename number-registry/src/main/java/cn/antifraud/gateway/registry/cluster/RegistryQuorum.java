package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.NoQuorumException;
import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.MembershipEvent;

/**
 * Whether this member sees a quorum of the configured cluster, kept in a volatile field that a
 * {@link InitialMembershipListener} updates on every membership change, so the SIP hot path reads it
 * for the cost of one volatile load instead of asking the cluster per call.
 *
 * <p>Two reasons make a member lack its quorum: it sees fewer than {@link RegistryConfig#quorum()}
 * members (it is the minority of a split, or its peers are down), or it has just merged back after a
 * split and is reloading the registry maps from the database ({@link RegistryReload}); until that
 * reload ends its maps may hold entries the database does not, so it neither writes nor brands.
 *
 * <p>Writes check {@link #ensure()} before they start; Hazelcast's split-brain protection on the
 * registry maps checks again on the partition owner when the operation runs
 * ({@link RegistryMember}), which closes the gap between the check here and the write.
 */
public final class RegistryQuorum implements InitialMembershipListener {

    /** One immutable snapshot, so the visible count and the reason are always read together. */
    private record State(int visible, boolean reloading) {
    }

    private final int required;
    private final int configured;
    private volatile State state;

    RegistryQuorum(int required, int configured) {
        this.required = required;
        this.configured = Math.max(configured, required);
        this.state = new State(0, false);
    }

    @Override
    public void init(InitialMembershipEvent event) {
        update(event.getMembers().size());
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        update(event.getMembers().size());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        update(event.getMembers().size());
    }

    private synchronized void update(int visible) {
        state = new State(visible, state.reloading());
    }

    /** Marks the member as reloading from the database after a merge (true) or done (false). */
    synchronized void reloading(boolean reloading) {
        state = new State(state.visible(), reloading);
    }

    /** True when the member may acknowledge writes and brand from its near cache; one volatile read. */
    public boolean present() {
        State s = state;
        return s.visible() >= required && !s.reloading();
    }

    /** Throws {@link NoQuorumException} naming the reason when the quorum is not {@link #present()}. */
    public void ensure() {
        if (!present()) {
            throw new NoQuorumException(describe());
        }
    }

    /** How many members must be visible, this one included. */
    public int required() {
        return required;
    }

    /** One line for the operator (health, errors): "no quorum, 1 of 3 members visible (quorum 2)". */
    public String describe() {
        State s = state;
        String seen = s.visible() + " of " + configured + " members visible (quorum " + required + ")";
        if (s.visible() < required) {
            return "registry: no quorum, " + seen;
        }
        if (s.reloading()) {
            return "registry: no quorum yet, reloading from the database after a split-brain merge; " + seen;
        }
        return "registry: quorum, " + seen;
    }
}
