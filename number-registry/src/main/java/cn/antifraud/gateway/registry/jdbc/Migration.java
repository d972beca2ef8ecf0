package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One numbered schema change, read from {@code db/migration/V<n>__<description>.sql} on the class path.
 *
 * @param version    the number in the file name; versions run 1, 2, 3 ... without gaps
 * @param fileName   the resource's file name
 * @param statements the file's SQL statements, comments removed
 */
public record Migration(int version, String fileName, List<String> statements) {

    static final String DIRECTORY = "db/migration/";
    private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([a-z0-9_]+)\\.sql");

    public Migration {
        requireNonNull(fileName, "fileName");
        statements = List.copyOf(statements);
    }

    /** The description part of the file name, for the schema_version table. */
    public String description() {
        Matcher m = NAME.matcher(fileName);
        return m.matches() ? m.group(2).replace('_', ' ') : fileName;
    }

    /** Every migration listed in {@code db/migration/migrations.txt}, checked to be numbered 1..n in order. */
    static List<Migration> loadAll(ClassLoader loader) {
        List<Migration> result = new ArrayList<>();
        for (String line : read(loader, DIRECTORY + "migrations.txt").split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new IllegalStateException("migration file name '" + name + "' is not V<n>__<lower_case_words>.sql");
            }
            int version = Integer.parseInt(m.group(1));
            if (version != result.size() + 1) {
                throw new IllegalStateException("migration '" + name + "' should be version " + (result.size() + 1));
            }
            result.add(new Migration(version, name, split(read(loader, DIRECTORY + name))));
        }
        return result;
    }

    /** Splits on semicolons that end a line; the migrations keep one statement per such block. */
    static List<String> split(String sql) {
        StringBuilder withoutComments = new StringBuilder();
        for (String line : sql.split("\n")) {
            String stripped = line.strip();
            if (!stripped.startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String s : withoutComments.toString().split(";\\s*\n")) {
            String statement = s.strip();
            if (statement.endsWith(";")) {
                statement = statement.substring(0, statement.length() - 1).strip();
            }
            if (!statement.isEmpty()) {
                statements.add(statement);
            }
        }
        return statements;
    }

    private static String read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
