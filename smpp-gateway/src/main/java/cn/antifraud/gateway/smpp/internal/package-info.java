/**
 * The gateway's machinery behind {@link cn.antifraud.gateway.smpp.SmppGateway}: supervised jsmpp binds with
 * window and pacing, durable jobs in the registry cluster, receipt matching, warning fan-out. Not an API.
 */
package cn.antifraud.gateway.smpp.internal;
