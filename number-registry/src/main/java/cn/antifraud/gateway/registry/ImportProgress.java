package cn.antifraud.gateway.registry;

import java.util.List;

/** Told the counts of a bulk import after each stored batch, so they can be made durable as they grow. */
@FunctionalInterface
public interface ImportProgress {
    ImportProgress NONE = (rowsRead, stored, rejected, errors) -> { };

    void batchStored(long rowsRead, long stored, long rejected, List<String> errors);
}
