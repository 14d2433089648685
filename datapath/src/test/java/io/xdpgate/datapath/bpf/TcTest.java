package io.xdpgate.datapath.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.Commands;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.TestNetwork;
import io.xdpgate.datapath.testing.TestObjects;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** tc attach, query and detach on a veth pair this test creates. */
@KernelTest
class TcTest {
    private static TestNetwork net;
    private static String link;

    private BpfObject obj;
    private BpfProgram tc;

    @BeforeAll
    static void createLinks() {
        net = new TestNetwork();
        try {
            link = net.veth("t", "u")[0];
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    @AfterAll
    static void deleteLinks() {
        if (net != null) {
            net.close();
        }
    }

    @BeforeEach
    void load() {
        obj = BpfObject.open(TestObjects.bindingTest()).load();
        tc = obj.program("binding_tc");
    }

    @AfterEach
    void removeHooksAndClose() {
        try {
            Tc.destroyHooks(NetDevice.ifindex(link));
        } finally {
            obj.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TcDirection.class)
    void attachShowsInQueryAndTcAndDetachRemovesIt(TcDirection direction) {
        int ifindex = NetDevice.ifindex(link);
        TcAttachment attached = tc.attachTc(ifindex, direction);
        assertEquals(ifindex, attached.ifindex());
        assertEquals(tc.id(), attached.progId());
        assertEquals(OptionalInt.of(tc.id()), Tc.query(attached));
        String filters = Commands.run("tc", "filter", "show", "dev", link, direction.name().toLowerCase());
        assertTrue(filters.contains("binding_tc") && filters.contains("direct-action"), filters);

        BpfProgram.detachTc(attached);
        assertEquals(OptionalInt.empty(), Tc.query(attached));
        assertFalse(Commands.run("tc", "filter", "show", "dev", link, direction.name().toLowerCase())
                .contains("binding_tc"));
    }

    @Test
    void bothHooksShareOneClsactAndDestroyHooksRemovesIt() {
        int ifindex = NetDevice.ifindex(link);
        TcAttachment in = tc.attachTc(ifindex, TcDirection.INGRESS);
        TcAttachment out = tc.attachTc(ifindex, TcDirection.EGRESS);
        assertTrue(Commands.run("tc", "qdisc", "show", "dev", link).contains("clsact"));
        Tc.destroyHooks(ifindex);
        assertFalse(Commands.run("tc", "qdisc", "show", "dev", link).contains("clsact"));
        assertEquals(OptionalInt.empty(), Tc.query(in));
        assertEquals(OptionalInt.empty(), Tc.query(out));
        Tc.destroyHooks(ifindex); // nothing left to destroy is fine
    }
}
