/**
 * The proxy's decisions, free of I/O: {@link cn.antifraud.gateway.sip.proxy.StatelessProxy} (RFC 3261
 * §16.11 stateless proxying), the branch and loop hash ({@link cn.antifraud.gateway.sip.proxy.BranchFactory}),
 * branding, the spoof shield, fraud-contact detection, local responses and metrics. The transport layer
 * turns each {@link cn.antifraud.gateway.sip.proxy.ProxyAction} into writes.
 */
package cn.antifraud.gateway.sip.proxy;
