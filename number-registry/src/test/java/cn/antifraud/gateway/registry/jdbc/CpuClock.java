package cn.antifraud.gateway.registry.jdbc;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU seconds used so far by this JVM and by every PostgreSQL process on the machine (Linux
 * {@code /proc/PID/stat} utime + stime, 100 ticks a second). On a shared machine wall time depends on
 * the neighbours; CPU time spent on the reload does not, so the benchmark reports both.
 */
final class CpuClock {

    private static final double TICKS_PER_SECOND = 100.0;

    private CpuClock() {
    }

    static double jvmSeconds() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** Sum over processes named {@code postgres}; processes that exit between two readings are lost, so keep connections open. */
    static double postgresSeconds() {
        long ticks = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path proc : procs) {
                ticks += postgresTicks(proc.resolve("stat"));
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static long postgresTicks(Path stat) {
        try {
            String s = Files.readString(stat);
            int close = s.lastIndexOf(')');
            if (!s.substring(s.indexOf('(') + 1, close).equals("postgres")) {
                return 0;
            }
            // Fields after the command: state is field 3, utime 14, stime 15 (proc(5)).
            String[] f = s.substring(close + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
