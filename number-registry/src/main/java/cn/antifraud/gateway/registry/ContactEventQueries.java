package cn.antifraud.gateway.registry;

import java.time.Instant;
import java.util.List;

/**
 * Read access to contact events that no SMPP node has turned into warnings yet, for an operator
 * checking that a call was caught. Blocking (a cluster query): call off event loops.
 */
public interface ContactEventQueries {

    /** Up to {@code max} pending events in which {@code number} is the subscriber or the fraud number, newest first. */
    List<PendingContactEvent> pendingInvolving(PhoneNumber number, int max, Instant now);
}
