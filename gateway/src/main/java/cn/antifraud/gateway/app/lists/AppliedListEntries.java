package cn.antifraud.gateway.app.lists;

import static java.util.Objects.requireNonNull;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which list-file entries this node applied to the registry, as a digest of each entry's content at
 * the time, kept in a text file in the node's data directory ({@value #FILE_NAME}). It is what lets
 * a restart tell "the file's entry changed, apply it" from "the file says what it said last time, and
 * the registry's record (maybe edited through the admin API since) wins".
 *
 * <p>One line per entry: {@code kind<TAB>key<TAB>digest}, the digest being the first 128 bits of the
 * SHA-256 of the entry's fields (hex). The file is replaced atomically, so a crash leaves the old or
 * the new one, never half of either. A missing or unreadable line counts as "never applied".
 */
final class AppliedListEntries {
    static final String FILE_NAME = "applied-list-entries.tsv";
    private static final String HEADER = "# list-file entries applied to the registry by this node:"
            + " kind, number, digest of the entry (NumberListLoader); delete to re-seed from the files\n";

    private final Path file;
    private final Map<String, String> digests;

    private AppliedListEntries(Path file, Map<String, String> digests) {
        this.file = file;
        this.digests = digests;
    }

    /** Reads the ledger in {@code dataDir}; empty when there is none yet. */
    static AppliedListEntries open(Path dataDir) {
        Path file = requireNonNull(dataDir, "dataDir").resolve(FILE_NAME);
        Map<String, String> digests = new HashMap<>();
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] f = line.split("\t");
                    if (!line.startsWith("#") && f.length == 3) {
                        digests.put(f[0] + "\t" + f[1], f[2]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return new AppliedListEntries(file, digests);
    }

    /** The digest recorded when this entry was last applied (or found already in the registry). */
    Optional<String> lastApplied(String kind, String key) {
        return Optional.ofNullable(digests.get(kind + "\t" + key));
    }

    void record(String kind, String key, String digest) {
        digests.put(kind + "\t" + key, digest);
    }

    /** Writes the ledger: to a temporary file beside it, then an atomic rename over the old one. */
    void save() {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(HEADER);
                for (Map.Entry<String, String> e : new TreeMap<>(digests).entrySet()) {
                    w.write(e.getKey());
                    w.write('\t');
                    w.write(e.getValue());
                    w.write('\n');
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * The digest of an entry's fields, in order; a field's text is its {@code String.valueOf}, so
     * fields must be values with a stable text form (strings, numbers, instants, booleans, enums).
     */
    static String digest(List<?> fields) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Object f : fields) {
                // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
                byte[] b = String.valueOf(f).getBytes(StandardCharsets.UTF_8);
                sha.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha.update(b);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
