/** Per-component health for {@code GET /health}: cluster, database, SMPP binds, SIP listeners. */
package cn.antifraud.gateway.app.health;
