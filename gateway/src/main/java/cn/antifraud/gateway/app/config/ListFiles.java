package cn.antifraud.gateway.app.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Number lists the gateway applies at every start and on SIGHUP: an entry only when it changed in its
 * file since the node last applied it ({@code NumberListLoader}), so restarts add no audit records and
 * do not undo edits made through the admin API.
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
