/** Micrometer meters of the whole gateway, exposed as Prometheus text. */
package cn.antifraud.gateway.app.metrics;
