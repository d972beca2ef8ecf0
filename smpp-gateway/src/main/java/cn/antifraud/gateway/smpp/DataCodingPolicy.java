package cn.antifraud.gateway.smpp;

/**
 * Which alphabet the gateway may use (SMPP 3.4 §5.2.19 data_coding). Chinese text always needs UCS2;
 * GSM 7-bit is only chosen when the operator allows it and every character is in the GSM 03.38 default alphabet.
 */
public enum DataCodingPolicy {
    /** Always UCS2 (data_coding 0x08). */
    UCS2_ONLY,
    /** SMSC default alphabet (data_coding 0x00) when the text fits GSM 03.38, else UCS2. */
    GSM7_WHEN_POSSIBLE
}
