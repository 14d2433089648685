package io.xdpgate.gateways.runtime;

import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A protocol gateway for runtime tests: records every byte and offset it is given and answers
 * with a rule over the bytes seen so far in that direction. The runtime's contract (each byte
 * once, in order, at the right offset) is checked against what it recorded.
 */
final class ScriptedGateway implements ApplicationGateway {
    final List<FlowContext> opened = new ArrayList<>();
    final ByteArrayOutputStream client = new ByteArrayOutputStream();
    final ByteArrayOutputStream server = new ByteArrayOutputStream();
    final List<String> calls = new ArrayList<>();
    int closed;
    /** (direction "c"/"s", all bytes so far) -> verdict */
    BiFunction<String, byte[], Verdict> rule = (dir, all) -> Verdict.approve(all.length);

    @Override
    public GatewaySession open(FlowContext flow) {
        opened.add(flow);
        return new GatewaySession() {
            @Override
            public Verdict onClientBytes(long offset, ByteBuffer bytes) {
                return take("c", client, offset, bytes);
            }

            @Override
            public Verdict onServerBytes(long offset, ByteBuffer bytes) {
                return take("s", server, offset, bytes);
            }

            @Override
            public void close() {
                closed++;
            }
        };
    }

    private Verdict take(String dir, ByteArrayOutputStream seen, long offset, ByteBuffer bytes) {
        if (offset != seen.size()) {
            throw new AssertionError(dir + ": bytes at offset " + offset + " but " + seen.size() + " were seen");
        }
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        seen.writeBytes(b);
        calls.add(dir + "@" + offset + "+" + b.length);
        return rule.apply(dir, seen.toByteArray());
    }
}
