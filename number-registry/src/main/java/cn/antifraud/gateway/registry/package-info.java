/**
 * Public API of the number registry: the normalised {@link cn.antifraud.gateway.registry.PhoneNumber},
 * the records it holds (反诈名片 warning numbers, fraud numbers, family contacts), and the narrow
 * interfaces the SIP proxy and the SMPP gateway use ({@link cn.antifraud.gateway.registry.CallerCardLookup},
 * {@link cn.antifraud.gateway.registry.FraudNumberLookup}, {@link cn.antifraud.gateway.registry.ContactEventLog}).
 * Hazelcast and JDBC details live in sub-packages and never leak through these types.
 */
package cn.antifraud.gateway.registry;
