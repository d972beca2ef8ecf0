package cn.antifraud.gateway.registry.jdbc;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;
import java.time.Instant;
import java.util.List;

/** A record shaped like the SMPP side's jobs: nested records, an enum, instants, a list, a nullable field. */
record DurableTestJob(String id, PhoneNumber subscriber, FraudType fraudType, String text, Instant queuedAt,
                      Instant deliveredAt, List<String> messageIds, int attempts) {
}
