package io.xdpgate.controlplane.gateway;

import io.xdpgate.gateways.spi.GatewayFactory;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The protocol gateways on the class path, by the policy's protocol name. */
public final class GatewayFactories {
    private final Map<String, GatewayFactory> byProtocol = new TreeMap<>();

    private GatewayFactories() {
    }

    public static GatewayFactories discover() {
        return of(ServiceLoader.load(GatewayFactory.class));
    }

    /** These factories (e.g. a test's); two for one protocol are refused. */
    public static GatewayFactories of(Iterable<? extends GatewayFactory> factories) {
        GatewayFactories f = new GatewayFactories();
        for (GatewayFactory factory : factories) {
            GatewayFactory clash = f.byProtocol.putIfAbsent(factory.protocol(), factory);
            if (clash != null) {
                throw new IllegalStateException("two gateways serve protocol " + factory.protocol() + ": "
                        + clash.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        return f;
    }

    public Optional<GatewayFactory> forProtocol(String protocol) {
        return Optional.ofNullable(byProtocol.get(protocol));
    }

    /** Their protocol names, sorted: exactly what a policy's gateways may speak. */
    public java.util.Set<String> protocols() {
        return byProtocol.keySet();
    }
}
