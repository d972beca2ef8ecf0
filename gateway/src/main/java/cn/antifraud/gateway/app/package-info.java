/**
 * The runnable gateway: {@link cn.antifraud.gateway.app.GatewayMain} reads the config and starts a
 * {@link cn.antifraud.gateway.app.Gateway} (registry member, SIP proxy, SMPP gateway, admin API).
 */
package cn.antifraud.gateway.app;
