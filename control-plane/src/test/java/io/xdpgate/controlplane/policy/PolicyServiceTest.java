package io.xdpgate.controlplane.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.controlplane.policy.check.PolicyRejectedException;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.store.PolicyStore;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.TranslatedPolicy;
import io.xdpgate.datapath.policy.CompiledPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy transaction's order and its roll back, on a fake kernel and a deployer that only
 * writes down what it is asked: each step in its place, and a failure anywhere undoes the kernel
 * writes newest first, aborts the deployer, and keeps the old policy in force and on disk.
 */
class PolicyServiceTest {
    private static final String ONE = Examples.rules("{\"name\":\"ssh\",\"protocol\":\"tcp\",\"ports\":\"22\",\"action\":\"pass\"}");
    private static final String TWO = Examples.rules("{\"name\":\"web\",\"protocol\":\"tcp\",\"ports\":\"80\",\"action\":\"pass\"}");

    private final List<String> calls = new ArrayList<>();
    private final FakeKernel kernel = new FakeKernel();
    private RuntimeException failBeforeSwap;
    private RuntimeException failAfterSwap;
    private RuntimeException failPrepare;
    private RuntimeException failUndo;

    /** Records each call; its kernel writes are entries in the undo log. */
    private final GatewayDeployer deployer = new GatewayDeployer() {
        @Override
        public List<Violation> check(TranslatedPolicy policy) {
            return List.of();
        }

        @Override
        public Transition prepare(List<GatewayAssignment> gateways) {
            calls.add("prepare");
            if (failPrepare != null) {
                throw failPrepare;
            }
            return new Transition() {
                @Override
                public void beforeSwap(UndoLog undo) {
                    calls.add("beforeSwap");
                    undo.record("before", () -> {
                        calls.add("undo before");
                        if (failUndo != null) {
                            throw failUndo;
                        }
                    });
                    if (failBeforeSwap != null) {
                        throw failBeforeSwap;
                    }
                }

                @Override
                public void afterSwap(UndoLog undo) {
                    calls.add("afterSwap");
                    undo.record("after", () -> calls.add("undo after"));
                    if (failAfterSwap != null) {
                        throw failAfterSwap;
                    }
                }

                @Override
                public void complete() {
                    calls.add("complete");
                }

                @Override
                public void abort() {
                    calls.add("abort");
                }
            };
        }
    };

    @TempDir
    Path state;

    /** The real file, with a switch that makes the next saves fail as a full disk would. */
    private final class SwitchableStore implements io.xdpgate.controlplane.policy.store.PolicyStorage {
        final PolicyStore file;
        boolean fail;

        SwitchableStore(Path dir) {
            file = new PolicyStore(dir);
        }

        @Override
        public java.util.Optional<PolicyDocument> load() {
            return file.load();
        }

        @Override
        public void save(PolicyDocument doc) {
            calls.add("save");
            if (fail) {
                throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
            }
            file.save(doc);
        }
    }

    private SwitchableStore store;
    private PolicyService service;

    @org.junit.jupiter.api.BeforeEach
    void service() {
        store = new SwitchableStore(state);
        service = new PolicyService(kernel, store, deployer);
    }

    private PolicyService started() {
        kernel.onActivate = () -> calls.add("activate");
        service.apply(ONE);
        calls.clear();
        return service;
    }

    @Test
    void theStepsInTheirOrder() {
        started().apply(TWO);
        assertEquals(List.of("prepare", "beforeSwap", "activate", "afterSwap", "save", "complete"), calls);
        assertEquals("web", service.current().rules().get(0).name());
        assertEquals("web", store.file.load().orElseThrow().rules().get(0).name());
    }

    @Test
    void aFailedPersistSwapsBackAndKeepsTheOldPolicyInForceAndOnDisk() throws Exception {
        started();
        String onDisk = Files.readString(store.file.file());
        CompiledPolicy classifying = kernel.classifying();
        store.fail = true;

        var e = assertThrows(PolicyApplyException.class, () -> service.apply(TWO));

        assertTrue(e.rolledBack());
        assertEquals("persisting the policy", e.step());
        assertEquals(List.of("prepare", "beforeSwap", "activate", "afterSwap", "save", "undo after", "activate",
                "undo before", "abort"), calls, "undone newest first, the swap included");
        assertSame(classifying, kernel.classifying(), "the old generation classifies again");
        assertEquals("ssh", service.current().rules().get(0).name());
        assertEquals(onDisk, Files.readString(store.file.file()));
    }

    @Test
    void aFailedMapWriteAfterTheSwapSwapsBack() {
        started();
        CompiledPolicy classifying = kernel.classifying();
        failAfterSwap = new IllegalStateException("update of map gateways failed: EINVAL");
        var e = assertThrows(PolicyApplyException.class, () -> service.apply(TWO));
        assertEquals("the gateway changes after the swap", e.step());
        assertEquals(List.of("prepare", "beforeSwap", "activate", "afterSwap", "undo after", "activate", "undo before",
                "abort"), calls);
        assertSame(classifying, kernel.classifying());
        assertEquals("ssh", service.current().rules().get(0).name());
    }

    @Test
    void aFailureBeforeTheSwapNeverSwaps() {
        started();
        failBeforeSwap = new IllegalStateException("injected");
        assertThrows(PolicyApplyException.class, () -> service.apply(TWO));
        assertEquals(List.of("prepare", "beforeSwap", "undo before", "abort"), calls);
        assertEquals(1, kernel.activations.size(), "only the first policy's swap");
    }

    @Test
    void aFailedStageTouchesNothingActive() {
        started();
        kernel.failStage = true;
        var e = assertThrows(PolicyApplyException.class, () -> service.apply(TWO));
        assertEquals("writing the inactive policy generation", e.step());
        assertEquals(List.of("prepare", "abort"), calls);
    }

    @Test
    void aFailedPrepareLeavesNothingToAbort() {
        started();
        failPrepare = new IllegalStateException("ip link add failed");
        var e = assertThrows(PolicyApplyException.class, () -> service.apply(TWO));
        assertEquals("preparing the gateways", e.step());
        assertEquals(List.of("prepare"), calls);
        assertEquals("ssh", service.current().rules().get(0).name());
    }

    @Test
    void anUndoThatFailsIsReportedAsAnIncompleteRollBack() {
        started();
        store.fail = true;
        failUndo = new IllegalStateException("update of map gateways failed");
        var e = assertThrows(PolicyApplyException.class, () -> service.apply(TWO));
        assertFalse(e.rolledBack());
        assertTrue(calls.contains("abort"), "the prepared gateways are torn down all the same");
    }

    @Test
    void aBadDocumentIsRejectedBeforeAnythingStarts() {
        started();
        assertThrows(PolicyRejectedException.class, () -> service.apply("{\"defaultAction\":\"maybe\"}"));
        assertEquals(List.of(), calls);
    }

    @Test
    void nothingInForceBeforeTheFirstPolicy() {
        assertNull(service.current());
        store.fail = true;
        assertThrows(PolicyApplyException.class, () -> service.apply(ONE));
        assertNull(service.current());
        assertTrue(store.file.load().isEmpty());
    }
}
