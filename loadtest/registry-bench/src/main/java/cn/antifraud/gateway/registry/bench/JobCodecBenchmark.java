package cn.antifraud.gateway.registry.bench;

import cn.antifraud.gateway.smpp.JobState;
import cn.antifraud.gateway.smpp.PartState;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import cn.antifraud.gateway.smpp.internal.JobCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A stored job's encode and decode ({@link JobCodec}, format version 2), against the anchor measured in the
 * same run: the same fields through {@code DataOutputStream} / {@code DataInputStream}, as JobCodec did until
 * the thirteenth session. Both write the same bytes (checked at setup, so a layout change stops the
 * benchmark). The job is a submitted two-part warning with the Chinese text of the default template, the
 * record a job is most often in when it is rewritten (receipts).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class JobCodecBenchmark {
    private SmsJob job;
    private byte[] stored;

    @Setup
    public void setUp() throws IOException {
        Instant now = Instant.parse("2026-12-03T06:00:00.123456Z");
        job = new SmsJob("0193893e-1c2d-7a10-8000-1f2e3d4c5b6a", "0193893e-1c2d-7a10-8000-0a1b2c3d4e5f", "+8613800138000",
                SmsKind.NORMAL, "【12381】反诈提醒：您刚刚接听的号码涉嫌电信网络诈骗，请勿向对方转账汇款，勿透露验证码。如有疑问请拨打110或96110。"
                        + "公安机关不会通过电话办案，不存在安全账户。",
                42, now, JobState.SUBMITTED, List.of("1a2b3c4d", "1a2b3c4e"), List.of(PartState.SUBMITTED, PartState.SUBMITTED),
                "smsc-1", 1, 0, 0, now, now.plusSeconds(1), "node-1", now.plusSeconds(60), "", now);
        stored = JobCodec.encode(job);
        if (!Arrays.equals(stored, dataStreamEncode(job)) || !job.equals(dataStreamDecode(stored))
                || !job.equals(JobCodec.decode(stored))) {
            throw new IllegalStateException("JobCodec and the DataOutputStream anchor disagree");
        }
    }

    @Benchmark
    public byte[] encode() {
        return JobCodec.encode(job);
    }

    @Benchmark
    public byte[] encodeAnchorDataOutputStream() throws IOException {
        return dataStreamEncode(job);
    }

    @Benchmark
    public SmsJob decode() {
        return JobCodec.decode(stored);
    }

    @Benchmark
    public SmsJob decodeAnchorDataInputStream() throws IOException {
        return dataStreamDecode(stored);
    }

    private static byte[] dataStreamEncode(SmsJob j) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(2);
            out.writeUTF(j.id());
            out.writeUTF(j.warningId());
            out.writeUTF(j.destination());
            out.writeByte(j.kind().ordinal());
            out.writeUTF(j.text());
            out.writeInt(j.reference());
            instant(out, j.createdAt());
            out.writeByte(j.state().ordinal());
            out.writeShort(j.messageIds().size());
            for (String id : j.messageIds()) {
                out.writeUTF(id);
            }
            for (PartState p : j.partStates()) {
                out.writeByte(p.ordinal());
            }
            out.writeUTF(j.smsc());
            out.writeInt(j.attempts());
            out.writeInt(j.ambiguous());
            out.writeInt(j.resentAfterTimeout());
            instant(out, j.firstAttemptAt());
            instant(out, j.nextAttemptAt());
            out.writeUTF(j.leaseOwner());
            instant(out, j.leaseUntil());
            out.writeUTF(j.lastError());
            instant(out, j.updatedAt());
        }
        return bytes.toByteArray();
    }

    private static SmsJob dataStreamDecode(byte[] data) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            in.readByte();
            String id = in.readUTF();
            String warningId = in.readUTF();
            String destination = in.readUTF();
            SmsKind kind = SmsKind.values()[in.readByte()];
            String text = in.readUTF();
            int reference = in.readInt();
            Instant createdAt = instant(in);
            JobState state = JobState.values()[in.readByte()];
            int n = in.readUnsignedShort();
            List<String> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(in.readUTF());
            }
            List<PartState> parts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                parts.add(PartState.values()[in.readUnsignedByte()]);
            }
            String smsc = in.readUTF();
            int attempts = in.readInt();
            int ambiguous = in.readInt();
            int resent = in.readInt();
            return new SmsJob(id, warningId, destination, kind, text, reference, createdAt, state, ids, parts, smsc,
                    attempts, ambiguous, resent, instant(in), instant(in), in.readUTF(), instant(in), in.readUTF(), instant(in));
        }
    }

    private static void instant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
