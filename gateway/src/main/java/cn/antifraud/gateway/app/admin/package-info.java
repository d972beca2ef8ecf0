/**
 * The admin API: HTTP/1.1 on Netty, JSON bodies, bearer tokens. Routes are in
 * {@link cn.antifraud.gateway.app.admin.AdminApi}; registry calls run on a bounded worker pool, never
 * on the event loop; the CSV bulk import is streamed.
 */
package cn.antifraud.gateway.app.admin;
