/**
 * Number lists from files: the CSV format of fraud numbers (shared by the bulk import and the files
 * in {@code config/}) and the idempotent startup load of the lists the config names.
 */
package cn.antifraud.gateway.app.lists;
