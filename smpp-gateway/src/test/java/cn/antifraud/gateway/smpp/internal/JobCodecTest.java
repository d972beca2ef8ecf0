package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.PartState;
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
        SmsJob queued = SmsJob.queued("j1", "w1", "+8613800138000", SmsKind.FLASH, "【反诈预警】请拨打110或96110。\uD83D\uDE00", 200, 3, T);
        SmsJob job = Jobs.receipt(Jobs.submitted(queued, "smsc-a", List.of("1A", "1B", "1C"), T.plusSeconds(5)),
                1, DeliveryReceipt.Status.DELIVERED, T.plusSeconds(9))
                .toBuilder().partState(2, PartState.AMBIGUOUS).moreAttempts(2).moreAmbiguous(1).moreResent(1)
                .lease("node-x", T.plusSeconds(60)).lastError("timeout").build(T.plusSeconds(10));
        assertEquals(job, JobCodec.decode(JobCodec.encode(job)));
    }

    /** Job {@code id} written field by field as release 1 did, SUBMITTED to "sim" with ids a1 and a2. */
    static byte[] version1Job(String id) throws java.io.IOException {
        // Written field by field as release 1 did: part states "" (no receipt yet) and "DELIVERED".
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF(id);
            out.writeUTF("w1");
            out.writeUTF("+8613800138000");
            out.writeByte(SmsKind.NORMAL.ordinal());
            out.writeUTF("x");
            out.writeInt(5);
            out.writeLong(T.getEpochSecond());
            out.writeInt(T.getNano());
            out.writeByte(JobState.SUBMITTED.ordinal());
            for (List<String> list : List.of(List.of("a1", "a2"), List.of("DELIVERED", ""))) {
                out.writeShort(list.size());
                for (String x : list) {
                    out.writeUTF(x);
                }
            }
            out.writeUTF("sim");
            out.writeInt(0);
            out.writeInt(0);
            out.writeInt(0);
            out.writeLong(T.getEpochSecond()); // next attempt
            out.writeInt(0);
            out.writeUTF(""); // lease owner
            out.writeLong(0); // lease until
            out.writeInt(0);
            out.writeUTF(""); // last error
            out.writeLong(T.getEpochSecond()); // updated
            out.writeInt(0);
        }
        return bytes.toByteArray();
    }

    @Test
    void aVersion1ValueWithStringPartStatesIsStillRead() throws Exception {
        SmsJob job = JobCodec.decode(version1Job("j1"));
        assertEquals(List.of(PartState.DELIVERED, PartState.SUBMITTED), job.partStates());
        assertEquals(T, job.firstAttemptAt(), "a submitted job counts as attempted since its creation");
        assertEquals("sim", job.smsc());
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
