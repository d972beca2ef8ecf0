package cn.antifraud.gateway.smpp.internal;

import cn.antifraud.gateway.smpp.SmsJob;

/**
 * A job before and after one stored transition; both null when the job is gone.
 *
 * @param before the value the transition was applied to
 * @param after  the value written (the same instance when nothing changed)
 */
record JobChange(SmsJob before, SmsJob after) {
    static final JobChange GONE = new JobChange(null, null);

    boolean changed() {
        return after != null && after != before;
    }

    /** True exactly once in a job's life: the transition that made it final. */
    boolean becameFinal() {
        return changed() && !before.state().isFinal() && after.state().isFinal();
    }
}
