package cn.antifraud.gateway.app.config;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.cluster.RegistryConfig;
import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.sip.SipProxyConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The whole gateway config, as read from {@code config/gateway.yaml} by {@link GatewayConfigLoader}:
 * immutable and already validated, so components never check it again.
 *
 * @param file     the file it came from (for messages)
 * @param node     this node's name and data directory
 * @param cluster  the embedded registry member (Hazelcast)
 * @param database the registry's database (H2 file under the data directory by default)
 * @param sip      SIP listeners, limits, peers, routes and policies
 * @param smpp     SMPP binds and sending; empty when no SMSC is configured
 * @param warnings warning policy (dedup window, tier-2 duration)
 * @param admin    admin API listener and tokens
 * @param lists    number lists loaded at startup
 * @param identity signing of the cards the gateway adds, and verification of peers' cards ({@code sip.identity})
 */
public record GatewayConfig(Path file, NodeSettings node, RegistryConfig cluster, DatabaseConfig database,
                            SipProxyConfig sip, Optional<SmppSettings> smpp, WarningSettings warnings,
                            AdminSettings admin, ListFiles lists, IdentitySettings identity) {

    public GatewayConfig {
        requireNonNull(file, "file");
        requireNonNull(node, "node");
        requireNonNull(cluster, "cluster");
        requireNonNull(database, "database");
        requireNonNull(sip, "sip");
        requireNonNull(smpp, "smpp");
        requireNonNull(warnings, "warnings");
        requireNonNull(admin, "admin");
        requireNonNull(lists, "lists");
        requireNonNull(identity, "identity");
    }
}
