/**
 * The 12381 warning SMS gateway (SMPP 3.4 ESME over jsmpp): {@link cn.antifraud.gateway.smpp.SmppGatewayConfig},
 * {@link cn.antifraud.gateway.smpp.SmppGateway}, and the {@link cn.antifraud.gateway.smpp.WarningService} the
 * admin API calls.
 */
package cn.antifraud.gateway.smpp;
