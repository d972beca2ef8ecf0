/**
 * The idempotent startup load of the number lists the config names. Depends on {@code app.config}
 * (which reads the files) and never the other way round; the CSV row format both use lives in
 * {@code app.csv}.
 */
package cn.antifraud.gateway.app.lists;
