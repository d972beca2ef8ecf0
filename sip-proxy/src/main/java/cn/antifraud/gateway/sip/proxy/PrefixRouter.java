package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.sip.NextHop;
import cn.antifraud.gateway.sip.PrefixRoute;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Picks the next hop of an initial request by the longest prefix of the called number, else the default route. */
public final class PrefixRouter {
    private final List<PrefixRoute> routes;
    private final NextHop defaultRoute;

    public PrefixRouter(List<PrefixRoute> routes, NextHop defaultRoute) {
        this.routes = routes.stream()
                .sorted(Comparator.comparingInt((PrefixRoute r) -> r.prefix().length()).reversed())
                .toList();
        this.defaultRoute = defaultRoute;
    }

    /** The next hop for {@code called} (may be null when the Request-URI holds no number). */
    public Optional<NextHop> route(PhoneNumber called) {
        if (called != null) {
            for (PrefixRoute r : routes) {
                String p = r.prefix();
                if (p.startsWith("+") ? called.e164().startsWith(p) : called.national().startsWith(p)) {
                    return Optional.of(r.nextHop());
                }
            }
        }
        return Optional.ofNullable(defaultRoute);
    }
}
