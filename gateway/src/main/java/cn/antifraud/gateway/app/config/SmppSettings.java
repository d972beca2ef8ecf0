package cn.antifraud.gateway.app.config;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import java.nio.file.Path;

/**
 * The SMPP side of the config.
 *
 * @param gateway   the SMPP gateway's own validated config (SMSCs, binds, window, TPS, retries)
 * @param templates folder of the warning templates ({@code <fraud type>.txt}, family.txt, flash.txt)
 */
public record SmppSettings(SmppGatewayConfig gateway, Path templates) {
    public SmppSettings {
        requireNonNull(gateway, "gateway");
        requireNonNull(templates, "templates");
    }
}
