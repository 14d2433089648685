package io.xdpgate.datapath.policy;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A Java model of the kernel's classification over a compiled policy: one LPM lookup per field,
 * the AND of the bitmaps, the lowest set bit; the default action when no bit survives. Tests
 * compare it with {@link NaiveClassifier} (the rules read linearly) and with the kernel.
 */
public final class ClassifierModel {
    private record Tables(LpmTable<AddressPrefix, RuleBitmap> src, LpmTable<AddressPrefix, RuleBitmap> dst,
                          LpmTable<PortPrefix, RuleBitmap> ports) {
    }

    /** Tables per compiled policy, built once: property tests classify thousands of packets. */
    private static final Map<CompiledPolicy, Tables> TABLES = Collections.synchronizedMap(new WeakHashMap<>());

    private ClassifierModel() {
    }

    public static Classification classify(CompiledPolicy policy, PacketFields packet) {
        Tables t = TABLES.computeIfAbsent(policy, p -> new Tables(new LpmTable<>(p.srcBitmaps()),
                new LpmTable<>(p.dstBitmaps()), new LpmTable<>(p.portBitmaps())));
        RuleBitmap bySrc = t.src().lookup(AddressPrefix.ofAddress(packet.src()));
        RuleBitmap byDst = t.dst().lookup(AddressPrefix.ofAddress(packet.dst()));
        RuleBitmap byPort = t.ports().lookup(PortPrefix.exact(packet.protocol(), packet.port()));
        int position = RuleBitmap.firstCommonBit(bySrc, byDst, byPort, policy.roleBitmap(packet.ingressRole()));
        return position < 0 ? Classification.ofDefault(policy.defaultAction())
                : Classification.of(position, policy.slots().get(position));
    }
}
