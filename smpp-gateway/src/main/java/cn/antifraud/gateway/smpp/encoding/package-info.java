/**
 * Text to short_message octets: UCS2 and GSM 03.38 alphabets, concatenation with a user data header
 * (3GPP TS 23.040 §9.2.3.24.1) and flash (class 0) messages (SMPP 3.4 §5.2.19).
 */
package cn.antifraud.gateway.smpp.encoding;
