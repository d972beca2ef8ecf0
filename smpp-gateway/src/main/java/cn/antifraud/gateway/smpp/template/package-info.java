/** Warning SMS templates from the operator's {@code config/templates/} folder, validated when loaded. */
package cn.antifraud.gateway.smpp.template;
