package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.smpp.Backoff;
import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.PartState;
import cn.antifraud.gateway.smpp.RetryPolicy;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.internal.SubmitOutcome.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The job lifecycle without a cluster: each event on each state it can meet. */
class JobLifecycleTest {
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final LifecyclePolicy POLICY = Jobs.POLICY;
    private static final LifecyclePolicy NO_RESEND = new LifecyclePolicy(
            new RetryPolicy(Duration.ofHours(1), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)), false),
            Duration.ofDays(7), Duration.ofMinutes(30));

    private static SmsJob apply(SmsJob job, JobEvent event, Instant at) {
        return JobLifecycle.apply(job, event, POLICY, at);
    }

    private static JobEvent.Attempted attempt(JobEvent.PartAttempt... parts) {
        return new JobEvent.Attempted(List.of(parts));
    }

    private static JobEvent.PartAttempt accepted(int part, String id) {
        return new JobEvent.PartAttempt(part, Kind.ACCEPTED, id, "smsc-a", "accepted");
    }

    private static JobEvent.PartAttempt failed(int part, Kind kind) {
        return new JobEvent.PartAttempt(part, kind, "", kind == Kind.NO_BIND ? "" : "smsc-a", kind.name().toLowerCase());
    }

    private static SmsJob leased(SmsJob job, Instant at) {
        return apply(job, new JobEvent.Dispatch("node-1", at.plusSeconds(60)), at);
    }

    // --- dispatch ---

    @Test
    void aDueFreeQueuedJobIsLeasedToTheDispatchingNode() {
        SmsJob job = leased(Jobs.queued("j", 1, T0), T0);
        assertEquals("node-1", job.leaseOwner());
        assertEquals(T0.plusSeconds(60), job.leaseUntil());
        assertEquals(JobState.QUEUED, job.state());
    }

    @Test
    void aJobLeasedByALiveNodeOrNotYetDueIsLeftAlone() {
        SmsJob held = leased(Jobs.queued("j", 1, T0), T0);
        assertSame(held, apply(held, new JobEvent.Dispatch("node-2", T0.plusSeconds(90)), T0.plusSeconds(30)));
        SmsJob retrying = apply(leased(Jobs.queued("k", 1, T0), T0), attempt(failed(0, Kind.TEMPORARY)), T0);
        assertTrue(retrying.nextAttemptAt().isAfter(T0));
        assertSame(retrying, apply(retrying, new JobEvent.Dispatch("node-1", T0.plusSeconds(60)), T0));
    }

    @Test
    void theLeasesOwnerRenewsItAndNoOtherOwnerTakesIt() {
        SmsJob held = leased(Jobs.queued("j", 1, T0), T0);
        Instant later = T0.plusSeconds(30);
        assertTrue(JobLifecycle.dispatchable(held, "node-1", later));
        assertFalse(JobLifecycle.dispatchable(held, "node-2", later));
        SmsJob renewed = apply(held, new JobEvent.Dispatch("node-1", later.plusSeconds(60)), later);
        assertEquals("node-1", renewed.leaseOwner());
        assertEquals(later.plusSeconds(60), renewed.leaseUntil());
        assertSame(held, apply(held, new JobEvent.Dispatch("node-2", later.plusSeconds(60)), later));
    }

    @Test
    void aLapsedLeaseIsTakenOver() {
        SmsJob held = leased(Jobs.queued("j", 1, T0), T0);
        SmsJob taken = apply(held, new JobEvent.Dispatch("node-2", T0.plusSeconds(200)), T0.plusSeconds(61));
        assertEquals("node-2", taken.leaseOwner());
    }

    @Test
    void aJobThatNeverReachedAnSmscExpiresOnlyAfterHoldWhileDown() {
        SmsJob job = Jobs.queued("j", 1, T0);
        assertEquals("node-1", leased(job, T0.plus(Duration.ofDays(6))).leaseOwner(), "six days without a bind: still sent");
        SmsJob expired = leased(job, T0.plus(Duration.ofDays(7)).plusSeconds(1));
        assertEquals(JobState.EXPIRED, expired.state());
        assertTrue(expired.lastError().contains("hold-while-down"), expired.lastError());
    }

    @Test
    void aJobPastItsMaxAgeGetsOneMoreTryWhenABindIsBackAndExpiresOnlyIfThatFails() {
        SmsJob tried = apply(leased(Jobs.queued("j", 1, T0), T0), attempt(failed(0, Kind.TEMPORARY)), T0);
        Instant afterOutage = T0.plus(Duration.ofHours(3));
        SmsJob again = leased(tried, afterOutage);
        assertEquals("node-1", again.leaseOwner(), "dispatch never expires a job by max age");
        assertEquals(JobState.EXPIRED, apply(again, attempt(failed(0, Kind.TEMPORARY)), afterOutage).state());
        assertEquals(JobState.SUBMITTED, apply(again, attempt(accepted(0, "a1")), afterOutage).state());
    }

    @ParameterizedTest
    @EnumSource(value = JobState.class, names = {"SUBMITTED", "DELIVERED", "FAILED", "EXPIRED"})
    void onlyQueuedJobsAreDispatched(JobState state) {
        SmsJob job = Jobs.queued("j", 1, T0).toBuilder().state(state).build(T0);
        assertSame(job, leased(job, T0.plusSeconds(5)));
    }

    // --- attempts ---

    @Test
    void allPartsAcceptedMakeTheJobSubmittedWithItsIdsAndReleaseTheLease() {
        SmsJob job = apply(leased(Jobs.queued("j", 2, T0), T0), attempt(accepted(0, "A1"), accepted(1, "A2")), T0.plusSeconds(1));
        assertEquals(JobState.SUBMITTED, job.state());
        assertEquals(List.of("A1", "A2"), job.messageIds());
        assertEquals(List.of(PartState.SUBMITTED, PartState.SUBMITTED), job.partStates());
        assertEquals("smsc-a", job.smsc());
        assertEquals("", job.leaseOwner());
        assertEquals(T0.plusSeconds(1), job.firstAttemptAt());
        assertEquals(0, job.attempts());
    }

    @Test
    void aTemporaryErrorQueuesTheRestWithBackoffAndKeepsWhatWasAccepted() {
        SmsJob job = apply(leased(Jobs.queued("j", 2, T0), T0), attempt(accepted(0, "A1"), failed(1, Kind.TEMPORARY)), T0);
        assertEquals(JobState.QUEUED, job.state());
        assertEquals(List.of("A1", ""), job.messageIds());
        assertEquals(1, job.attempts());
        assertTrue(!job.nextAttemptAt().isBefore(T0.plusMillis(500)) && !job.nextAttemptAt().isAfter(T0.plusSeconds(1)),
                "first backoff step, 0.5 to 1 s with jitter: " + job.nextAttemptAt());
        assertEquals("temporary", job.lastError());
        SmsJob second = apply(leased(job, T0.plusSeconds(1)), attempt(failed(1, Kind.TEMPORARY)), T0.plusSeconds(1));
        assertEquals(2, second.attempts());
        assertEquals(T0, second.firstAttemptAt(), "max age keeps counting from the first attempt");
    }

    @Test
    void aPartAcceptedTwiceKeepsItsFirstIdAndTheSecondCountsAsADuplicate() {
        // Node 1's lease lapsed while it recorded; node 2 took the job over and sent it again.
        SmsJob first = apply(leased(Jobs.queued("j", 1, T0), T0), attempt(accepted(0, "X1")), T0.plusSeconds(1));
        SmsJob second = apply(first, attempt(accepted(0, "Y1")), T0.plusSeconds(2));
        assertEquals(List.of("X1"), second.messageIds());
        assertEquals(1, second.resentAfterTimeout());
        assertEquals(JobState.SUBMITTED, second.state());
    }

    @Test
    void aPermanentErrorFailsTheJob() {
        SmsJob job = apply(leased(Jobs.queued("j", 2, T0), T0), attempt(accepted(0, "A1"), failed(1, Kind.PERMANENT)), T0);
        assertEquals(JobState.FAILED, job.state());
        assertEquals("permanent", job.lastError());
    }

    @Test
    void aResponseTimeoutMarksThePartAmbiguousAndItsResendIsCounted() {
        SmsJob timedOut = apply(leased(Jobs.queued("j", 1, T0), T0), attempt(failed(0, Kind.AMBIGUOUS)), T0);
        assertEquals(JobState.QUEUED, timedOut.state());
        assertEquals(PartState.AMBIGUOUS, timedOut.partStates().get(0));
        assertEquals(1, timedOut.ambiguous());
        SmsJob resent = apply(leased(timedOut, T0.plusSeconds(1)), attempt(accepted(0, "B1")), T0.plusSeconds(1));
        assertEquals(1, resent.resentAfterTimeout());
        assertEquals(PartState.SUBMITTED, resent.partStates().get(0));
    }

    @Test
    void withoutResendAfterTimeoutAResponseTimeoutFailsTheJob() {
        SmsJob job = Jobs.queued("j", 1, T0);
        SmsJob after = JobLifecycle.apply(JobLifecycle.apply(job, new JobEvent.Dispatch("n", T0.plusSeconds(9)), NO_RESEND, T0),
                attempt(failed(0, Kind.AMBIGUOUS)), NO_RESEND, T0);
        assertEquals(JobState.FAILED, after.state());
        assertTrue(after.lastError().contains("not resent"), after.lastError());
    }

    @Test
    void noBindIsNotAnAttemptAndStartsNoClock() {
        SmsJob job = apply(leased(Jobs.queued("j", 1, T0), T0), attempt(failed(0, Kind.NO_BIND)), T0.plusSeconds(3));
        assertEquals(JobState.QUEUED, job.state());
        assertEquals(0, job.attempts());
        assertEquals(Instant.EPOCH, job.firstAttemptAt());
        assertEquals("", job.leaseOwner());
        assertEquals(T0.plusSeconds(3), job.nextAttemptAt(), "due at once: the sweep sends it when a bind is up");
    }

    @Test
    void aTemporaryErrorWhoseNextTryWouldPassTheMaxAgeExpiresTheJob() {
        SmsJob tried = apply(leased(Jobs.queued("j", 1, T0), T0), attempt(failed(0, Kind.TEMPORARY)), T0);
        Instant late = T0.plus(Duration.ofHours(1)).minusSeconds(1);
        SmsJob expired = apply(leased(tried, late), attempt(failed(0, Kind.TEMPORARY)), late);
        assertEquals(JobState.EXPIRED, expired.state());
        assertTrue(expired.lastError().contains("max age"), expired.lastError());
    }

    @Test
    void aFailureReceiptForOnePartWaitsForTheRestAndTheirIdsAreStillRecorded() {
        SmsJob partly = apply(leased(Jobs.queued("j", 2, T0), T0), attempt(accepted(0, "A1"), failed(1, Kind.TEMPORARY)), T0);
        SmsJob failedPart = Jobs.receipt(partly, 0, DeliveryReceipt.Status.FAILED, T0.plusSeconds(1));
        assertEquals(JobState.QUEUED, failedPart.state(), "part 1 is still to be sent");
        SmsJob sent = apply(leased(failedPart, T0.plusSeconds(2)), attempt(accepted(1, "A2")), T0.plusSeconds(2));
        assertEquals(JobState.SUBMITTED, sent.state());
        assertEquals(List.of("A1", "A2"), sent.messageIds());
        assertEquals(JobState.FAILED, Jobs.receipt(sent, 1, DeliveryReceipt.Status.DELIVERED, T0.plusSeconds(3)).state());
    }

    // --- receipts ---

    @Test
    void aJobIsDeliveredWhenEveryPartIs() {
        SmsJob submitted = Jobs.submitted(Jobs.queued("j", 2, T0), "smsc-a", List.of("A1", "A2"), T0);
        SmsJob one = Jobs.receipt(submitted, 1, DeliveryReceipt.Status.DELIVERED, T0.plusSeconds(1));
        assertEquals(JobState.SUBMITTED, one.state());
        assertEquals(List.of(PartState.SUBMITTED, PartState.DELIVERED), one.partStates());
        assertEquals(JobState.DELIVERED, Jobs.receipt(one, 0, DeliveryReceipt.Status.DELIVERED, T0.plusSeconds(2)).state());
    }

    static Stream<Arguments> receiptPairs() {
        DeliveryReceipt.Status d = DeliveryReceipt.Status.DELIVERED;
        DeliveryReceipt.Status f = DeliveryReceipt.Status.FAILED;
        DeliveryReceipt.Status e = DeliveryReceipt.Status.EXPIRED;
        return Stream.of(Arguments.of(d, d, JobState.DELIVERED), Arguments.of(d, f, JobState.FAILED),
                Arguments.of(d, e, JobState.EXPIRED), Arguments.of(f, e, JobState.FAILED), Arguments.of(f, f, JobState.FAILED),
                Arguments.of(e, e, JobState.EXPIRED));
    }

    @ParameterizedTest(name = "{0} and {1} make {2}, in either order")
    @MethodSource("receiptPairs")
    void theJobsFinalStateDependsOnItsPartsReceiptsNotOnTheirOrder(DeliveryReceipt.Status a, DeliveryReceipt.Status b,
                                                                   JobState expected) {
        SmsJob submitted = Jobs.submitted(Jobs.queued("j", 2, T0), "smsc-a", List.of("A1", "A2"), T0);
        SmsJob ab = Jobs.receipt(Jobs.receipt(submitted, 0, a, T0), 1, b, T0);
        SmsJob ba = Jobs.receipt(Jobs.receipt(submitted, 1, a, T0), 0, b, T0);
        assertEquals(expected, ab.state());
        assertEquals(expected, ba.state());
        assertEquals(JobState.SUBMITTED, Jobs.receipt(submitted, 0, b, T0).state(), "not final while a part is open");
    }

    @Test
    void aSecondReceiptForAFinalPartChangesNothing() {
        SmsJob delivered = Jobs.receipt(Jobs.submitted(Jobs.queued("j", 1, T0), "s", List.of("A1"), T0), 0,
                DeliveryReceipt.Status.DELIVERED, T0);
        assertSame(delivered, Jobs.receipt(delivered, 0, DeliveryReceipt.Status.FAILED, T0.plusSeconds(5)));
    }

    @Test
    void aReceiptForAPartThatDoesNotExistOrIsNotFinalChangesNothing() {
        SmsJob submitted = Jobs.submitted(Jobs.queued("j", 1, T0), "s", List.of("A1"), T0);
        assertSame(submitted, Jobs.receipt(submitted, 1, DeliveryReceipt.Status.DELIVERED, T0));
        assertSame(submitted, Jobs.receipt(submitted, -1, DeliveryReceipt.Status.DELIVERED, T0));
        assertSame(submitted, Jobs.receipt(submitted, 0, DeliveryReceipt.Status.NOT_FINAL, T0));
    }

    @Test
    void aLateReceiptOnAnExpiredJobIsRecordedOnThePartButTheJobStaysExpired() {
        SmsJob submitted = Jobs.submitted(Jobs.queued("j", 1, T0), "s", List.of("A1"), T0);
        SmsJob expired = apply(submitted, new JobEvent.ReceiptOverdue(), T0.plus(Duration.ofMinutes(31)));
        assertEquals(JobState.EXPIRED, expired.state());
        SmsJob late = Jobs.receipt(expired, 0, DeliveryReceipt.Status.DELIVERED, T0.plus(Duration.ofMinutes(32)));
        assertEquals(JobState.EXPIRED, late.state());
        assertEquals(PartState.DELIVERED, late.partStates().get(0));
    }

    @Test
    void aReceiptThatCameBeforeTheRespOfAnotherPartIsKeptWhenThatPartIsAccepted() {
        SmsJob partly = apply(leased(Jobs.queued("j", 2, T0), T0), attempt(accepted(0, "A1"), failed(1, Kind.TEMPORARY)), T0);
        SmsJob receipted = Jobs.receipt(partly, 0, DeliveryReceipt.Status.DELIVERED, T0);
        assertEquals(JobState.QUEUED, receipted.state(), "part 1 is still to send");
        SmsJob done = apply(leased(receipted, T0.plusSeconds(1)), attempt(accepted(1, "A2")), T0.plusSeconds(1));
        assertEquals(List.of(PartState.DELIVERED, PartState.SUBMITTED), done.partStates());
        assertEquals(JobState.SUBMITTED, done.state());
    }

    // --- receipt timeout, encoding ---

    @Test
    void aSubmittedJobWithoutReceiptExpiresAtTheReceiptTimeoutAndNotBefore() {
        SmsJob submitted = Jobs.submitted(Jobs.queued("j", 1, T0), "s", List.of("A1"), T0);
        assertSame(submitted, apply(submitted, new JobEvent.ReceiptOverdue(), T0.plus(Duration.ofMinutes(29))));
        SmsJob expired = apply(submitted, new JobEvent.ReceiptOverdue(), T0.plus(Duration.ofMinutes(30)));
        assertEquals(JobState.EXPIRED, expired.state());
        assertEquals("no delivery receipt within PT30M for every part", expired.lastError());
    }

    @Test
    void aJobWithAFailedPartAndAMissingReceiptFailsAtTheReceiptTimeout() {
        SmsJob submitted = Jobs.submitted(Jobs.queued("j", 2, T0), "s", List.of("A1", "A2"), T0);
        SmsJob onePartFailed = Jobs.receipt(submitted, 0, DeliveryReceipt.Status.FAILED, T0);
        assertEquals(JobState.FAILED, apply(onePartFailed, new JobEvent.ReceiptOverdue(), T0.plus(Duration.ofHours(1))).state());
    }

    @Test
    void aQueuedJobIsNotExpiredByTheReceiptTimeout() {
        SmsJob queued = Jobs.queued("j", 1, T0);
        assertSame(queued, apply(queued, new JobEvent.ReceiptOverdue(), T0.plus(Duration.ofDays(1))));
    }

    @Test
    void aTextThatCannotBeEncodedFailsTheJob() {
        SmsJob failed = apply(leased(Jobs.queued("j", 1, T0), T0), new JobEvent.EncodingFailed("bad"), T0);
        assertEquals(JobState.FAILED, failed.state());
        assertEquals("cannot encode: bad", failed.lastError());
        assertEquals("", failed.leaseOwner());
    }

    // --- final is final ---

    static Stream<Arguments> finalJobsAndEvents() {
        List<JobEvent> events = List.of(new JobEvent.Dispatch("n", T0.plusSeconds(99)), attempt(failed(0, Kind.TEMPORARY)),
                attempt(failed(0, Kind.PERMANENT)), attempt(failed(0, Kind.NO_BIND)), attempt(accepted(0, "Z")),
                new JobEvent.Receipt(0, DeliveryReceipt.Status.DELIVERED), new JobEvent.Receipt(0, DeliveryReceipt.Status.FAILED),
                new JobEvent.ReceiptOverdue(), new JobEvent.EncodingFailed("x"));
        return Stream.of(JobState.DELIVERED, JobState.FAILED, JobState.EXPIRED).flatMap(state ->
                events.stream().map(e -> Arguments.of(state, e)));
    }

    @ParameterizedTest(name = "{0} after {1}")
    @MethodSource("finalJobsAndEvents")
    void noEventMovesAFinalJobToAnotherState(JobState state, JobEvent event) {
        SmsJob job = Jobs.submitted(Jobs.queued("j", 1, T0), "s", List.of("A1"), T0).toBuilder().state(state).build(T0);
        assertEquals(state, apply(job, event, T0.plus(Duration.ofDays(30))).state());
    }
}
