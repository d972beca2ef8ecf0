/**
 * The CSV format of fraud numbers (RFC 4180 fields, UTF-8), shared by the bulk import
 * ({@code POST /v1/fraud-numbers:import}) and the list files in {@code config/}. Depends on the
 * registry's record types only, so both {@code app.config} and {@code app.admin} may use it.
 */
package cn.antifraud.gateway.app.csv;
