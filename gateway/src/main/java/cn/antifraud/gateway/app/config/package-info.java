/**
 * The operator's config file ({@code config/gateway.yaml}) read into immutable, validated objects.
 * A bad file stops startup with {@code FILE:LINE: KEY: PROBLEM}; unknown keys are errors.
 */
package cn.antifraud.gateway.app.config;
