package cn.antifraud.gateway.smpp;

/** How an ESME binds (SMPP 3.4 §4.1): transceiver is the default, so one bind both submits and receives receipts. */
public enum BindType { TRANSMITTER, RECEIVER, TRANSCEIVER }
