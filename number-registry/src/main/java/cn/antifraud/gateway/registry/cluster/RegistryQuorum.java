package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.NoQuorumException;
import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.MembershipEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this member sees a quorum of the configured cluster, kept in a volatile field that a
 * {@link InitialMembershipListener} updates on every membership change, so the SIP hot path reads it
 * for the cost of one volatile load instead of asking the cluster per call.
 *
 * <p>Two reasons make a member lack its quorum: it sees fewer than {@link RegistryConfig#quorum()}
 * members (it is the minority of a split, or its peers are down), or it has just come back from a split
 * (merged into the other side, or regained its quorum as the side the others merged into) and is
 * reloading the registry maps from the database ({@link SplitHeal}, {@link RegistryReload}); until that
 * reload ends its maps may hold entries the database does not, so it neither writes nor brands.
 *
 * <p>A third reason covers the seconds after this process was paused (SIGSTOP, a VM freeze, a long GC)
 * for long enough that the others may have removed it: its member list is then stale (it still
 * lists the others until its own failure detector fires), and near-cache invalidations sent while it
 * was paused never reach it, so a card revoked meanwhile would still be branded. {@link PauseWatch}
 * ticks every {@value PauseWatch#TICK_MILLIS} ms; a tick older than half the failure detector's
 * timeout means a pause, and the member has no quorum until a whole failure-detector period has passed
 * since (by then it has either been told it was removed, or it was not). {@link #present} checks the
 * age of the last tick itself, so an INVITE processed at the instant the process resumes, before the
 * watch thread runs, is not branded either.
 *
 * <p>Writes check {@link #ensure()} before they start; Hazelcast's split-brain protection on the
 * registry maps checks again on the partition owner when the operation runs
 * ({@link RegistryMember}), which closes the gap between the check here and the write.
 */
public final class RegistryQuorum implements InitialMembershipListener {

    /** One immutable snapshot, so the visible count and the reason are always read together. */
    private record State(int visible, boolean reloading) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(RegistryQuorum.class);

    private final int required;
    private final int configured;
    private final long pauseNanos;
    private final long confirmNanos;
    private volatile State state;
    /** Whether the member ever had its quorum: reaching it the first time is a start, not a regain. */
    private boolean everPresent;
    private volatile Runnable onRegained = () -> { };
    private volatile long lastTick;
    private volatile long pausedUntil;

    /**
     * @param maxNoHeartbeat the failure detector's timeout: a pause of half of it may have removed this
     *                       member, and as long again must pass before the member list is trusted
     */
    RegistryQuorum(int required, int configured, Duration maxNoHeartbeat, long nowNanos) {
        this.required = required;
        this.configured = Math.max(configured, required);
        this.pauseNanos = maxNoHeartbeat.toNanos() / 2;
        this.confirmNanos = maxNoHeartbeat.toNanos() + TimeUnit.SECONDS.toNanos(2);
        this.state = new State(0, false);
        this.lastTick = nowNanos;
        this.pausedUntil = nowNanos;
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

    /**
     * A member that had its quorum, lost it and sees it again may have been the minority of a split, and the
     * side the others merged into: its maps may then hold what the majority changed meanwhile (a card
     * revoked there). Hazelcast only tells the members that merge (MERGING, MERGED), not the one merged
     * into, so the quorum itself says so: on regaining it, the member counts as reloading (in the same state
     * change, so no call sees it present in between) and {@code onRegained} runs, which reloads the maps
     * from the database ({@link SplitHeal}). At startup, reaching the quorum for the first time is no regain.
     */
    void update(int visible) {
        boolean regained;
        synchronized (this) {
            State s = state;
            regained = required > 1 && everPresent && s.visible() < required && visible >= required;
            everPresent = everPresent || visible >= required;
            state = new State(visible, s.reloading() || regained);
        }
        if (regained) {
            LOG.warn("registry quorum regained ({} of {} members visible): reloading the registry maps from the"
                    + " database before writing or branding again", visible, configured);
            onRegained.run();
        }
    }

    /** What runs (on the membership event's thread, so it must not block) when the quorum is regained. */
    void onRegained(Runnable action) {
        this.onRegained = requireNonNull(action, "action");
    }

    /** Marks the member as reloading from the database after a split (true) or done (false). */
    synchronized void reloading(boolean reloading) {
        state = new State(state.visible(), reloading);
    }

    /** Called by {@link PauseWatch} every tick; notices that the process was paused. */
    void tick(long nowNanos) {
        if (required > 1 && nowNanos - lastTick > pauseNanos) {
            pausedUntil = nowNanos + confirmNanos;
            LOG.warn("this process was paused for {} ms, long enough to have been removed from the cluster; "
                    + "no registry writes or branding for the next {} ms, until its member list can be trusted",
                    TimeUnit.NANOSECONDS.toMillis(nowNanos - lastTick), TimeUnit.NANOSECONDS.toMillis(confirmNanos));
        }
        lastTick = nowNanos;
    }

    /** True when the member may acknowledge writes and brand from its near cache: three volatile reads and a clock read. */
    public boolean present() {
        return present(System.nanoTime());
    }

    boolean present(long nowNanos) {
        if (required == 1) {
            return !state.reloading();
        }
        State s = state;
        return s.visible() >= required && !s.reloading() && !paused(nowNanos);
    }

    private boolean paused(long nowNanos) {
        return nowNanos - lastTick > pauseNanos || nowNanos - pausedUntil < 0;
    }

    /**
     * Whether this member may take work from the durable work maps and act on it: claim a contact
     * event, dispatch an SMS job to an SMSC. The rule for every work map (issue 13): without quorum a
     * member claims nothing and sends nothing, so the two halves of a split never both send a warning
     * SMS for one job; the jobs stay in the map and are claimed once a member with quorum (or this one,
     * after the heal and its reload) looks again. Adding work (publishing, enqueueing) stays allowed.
     *
     * <p>Check it right before each claim and again right before the side effect (the submit_sm), since
     * the quorum can be lost in between; a job claimed but not sent goes back when its lease lapses.
     * The same reading as {@link #present()}: one volatile snapshot and a clock read, cheap enough per job.
     */
    public boolean mayDispatchWork() {
        return present();
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
        return describe(System.nanoTime());
    }

    String describe(long nowNanos) {
        State s = state;
        String seen = s.visible() + " of " + configured + " members visible (quorum " + required + ")";
        if (s.visible() < required) {
            return "registry: no quorum, " + seen;
        }
        if (required > 1 && paused(nowNanos)) {
            return "registry: no quorum, this process was paused long enough to have been removed from the cluster;"
                    + " waiting until its member list can be trusted; " + seen;
        }
        if (s.reloading()) {
            return "registry: no quorum yet, reloading from the database after a split-brain merge or a regained"
                    + " quorum; " + seen;
        }
        return "registry: quorum, " + seen;
    }
}
