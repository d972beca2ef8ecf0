package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

/**
 * One part of one job, as the message-id index stores it ("job id#part").
 *
 * @param jobId the job
 * @param part  index of the part, from 0
 */
record PartRef(String jobId, int part) {
    PartRef {
        requireNonNull(jobId, "jobId");
    }

    String encoded() {
        return jobId + "#" + part;
    }

    static PartRef parse(String s) {
        int hash = s.lastIndexOf('#');
        if (hash < 0) {
            throw new IllegalArgumentException("not a part reference: " + s);
        }
        return new PartRef(s.substring(0, hash), Integer.parseInt(s.substring(hash + 1)));
    }
}
