package cn.antifraud.gateway.app.health;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/** A component that can say whether it is working. {@link #check()} may block (a database ping): call it off event loops. */
public interface HealthCheck {

    String name();

    ComponentHealth check();

    static HealthCheck of(String name, Supplier<ComponentHealth> check) {
        requireNonNull(name, "name");
        requireNonNull(check, "check");
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ComponentHealth check() {
                return check.get();
            }
        };
    }
}
