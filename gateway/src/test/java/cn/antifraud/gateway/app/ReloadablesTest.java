package cn.antifraud.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReloadablesTest {

    @Test
    void everyActionRunsInOrderAndAFailureDoesNotStopTheOthers() {
        Reloadables reloadables = new Reloadables();
        List<String> ran = new ArrayList<>();
        reloadables.register("number lists", () -> {
            ran.add("lists");
            return "1 written";
        });
        reloadables.register("signing keys", () -> {
            ran.add("keys");
            throw new IllegalArgumentException("keys.pem: not a PEM file");
        });
        reloadables.register("tls", () -> {
            ran.add("tls");
            return "certificate unchanged";
        });

        assertEquals(List.of("number lists", "signing keys", "tls"), reloadables.names());
        List<Reloadables.Result> results = reloadables.reloadAll();
        assertEquals(List.of("lists", "keys", "tls"), ran);
        assertEquals(List.of(new Reloadables.Result("number lists", true, "1 written"),
                new Reloadables.Result("signing keys", false, "keys.pem: not a PEM file"),
                new Reloadables.Result("tls", true, "certificate unchanged")), results);
    }
}
