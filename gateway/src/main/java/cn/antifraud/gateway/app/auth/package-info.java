/**
 * Bearer tokens (RFC 6750) for the admin API: configured as SHA-256 hashes with a name and a
 * {@link cn.antifraud.gateway.app.auth.Role}, checked in constant time.
 */
package cn.antifraud.gateway.app.auth;
