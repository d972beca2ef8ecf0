package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

/**
 * One submission of one part of one job, as the message-id index stores it ("job id#part#submit id").
 *
 * @param jobId    the job
 * @param part     index of the part, from 0
 * @param submitId the submit_sm_resp id of this submission; "" in entries written before it was kept
 */
record PartRef(String jobId, int part, String submitId) {
    PartRef {
        requireNonNull(jobId, "jobId");
        requireNonNull(submitId, "submitId");
    }

    String encoded() {
        return jobId + "#" + part + "#" + submitId;
    }

    static PartRef parse(String s) {
        String[] f = s.split("#", 3);
        if (f.length < 2) {
            throw new IllegalArgumentException("not a part reference: " + s);
        }
        return new PartRef(f[0], Integer.parseInt(f[1]), f.length == 3 ? f[2] : "");
    }
}
