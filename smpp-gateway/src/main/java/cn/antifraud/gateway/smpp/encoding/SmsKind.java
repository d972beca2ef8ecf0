package cn.antifraud.gateway.smpp.encoding;

/** An ordinary SMS or a flash SMS (闪信), which the handset shows at once and does not store (3GPP TS 23.038 §4, class 0). */
public enum SmsKind { NORMAL, FLASH }
