package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobCodecTest {
    private static final Instant T = Instant.parse("2026-11-22T08:00:00.123456789Z");

    @Test
    void aJobWithChineseTextAndPartStatesSurvivesTheRoundTrip() {
        SmsJob job = SmsJob.queued("j1", "w1", "+8613800138000", SmsKind.FLASH, "【反诈预警】请拨打110或96110。\uD83D\uDE00", 200, 3, T)
                .afterAttempt(JobState.SUBMITTED, List.of("1A", "1B", "1C"), "smsc-a", 2, 1, 1, T.plusSeconds(5), "", T)
                .withReceipt(1, "DELIVERED", T.plusSeconds(9))
                .withLease("node-x", T.plusSeconds(60), T.plusSeconds(10));
        assertEquals(job, JobCodec.decode(JobCodec.encode(job)));
    }

    @Test
    void aValueOfAnotherFormatVersionIsRefusedByName() {
        byte[] bytes = JobCodec.encode(SmsJob.queued("j1", "w1", "+8613800138000", SmsKind.NORMAL, "x", 1, 1, T));
        bytes[0] = 9;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobCodec.decode(bytes));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void aTruncatedValueIsRefusedNotMisread() {
        byte[] bytes = JobCodec.encode(SmsJob.queued("j1", "w1", "+8613800138000", SmsKind.NORMAL, "x", 1, 1, T));
        assertThrows(IllegalArgumentException.class, () -> JobCodec.decode(Arrays.copyOf(bytes, bytes.length / 2)));
    }
}
