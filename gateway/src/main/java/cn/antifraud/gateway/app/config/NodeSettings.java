package cn.antifraud.gateway.app.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * This node: its name (in logs, job leases and health) and the folder of its local files (the H2
 * database of a single node).
 *
 * @param id      node name, unique in the cluster
 * @param dataDir local data folder, relative paths resolved against the working directory
 */
public record NodeSettings(String id, Path dataDir) {
    public NodeSettings {
        requireNonNull(id, "id");
        requireNonNull(dataDir, "dataDir");
    }
}
