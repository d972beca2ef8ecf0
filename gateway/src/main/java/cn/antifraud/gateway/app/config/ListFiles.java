package cn.antifraud.gateway.app.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Number lists the gateway loads at every start (idempotently: an unchanged entry is not written
 * again, so restarts add no audit records).
 *
 * @param warningNumbers YAML files of warning numbers (反诈名片)
 * @param fraudNumbers   CSV files of fraud numbers, the format of the bulk import
 * @param familyContacts YAML files of family contacts
 */
public record ListFiles(List<Path> warningNumbers, List<Path> fraudNumbers, List<Path> familyContacts) {
    public ListFiles {
        warningNumbers = List.copyOf(warningNumbers);
        fraudNumbers = List.copyOf(fraudNumbers);
        familyContacts = List.copyOf(familyContacts);
    }
}
