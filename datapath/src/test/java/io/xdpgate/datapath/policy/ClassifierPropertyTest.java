package io.xdpgate.datapath.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.xdpgate.abi.Abi;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * For thousands of seeded random policies and packets, the compiled
 * classifier (LPM lookups, AND of bitmaps, lowest bit) must give exactly what
 * the naive first-match walk gives.
 */
class ClassifierPropertyTest {
    private static final long SEED = 0x5eed_2544L;
    private static final int POLICIES = 3000;
    private static final int PACKETS_PER_POLICY = 150;

    @Test
    void compiledClassifierAgreesWithFirstMatch() {
        Random random = new Random(SEED);
        int ruleHits = 0;
        int packets = 0;
        for (int n = 0; n < POLICIES; n++) {
            int size = n % 50 == 0 ? random.nextInt(400) : random.nextInt(40);
            RandomPolicies scenario = new RandomPolicies(random, size);
            CompiledPolicy compiled = PolicyCompiler.compile(scenario.rules, scenario.defaultAction);
            checkShape(compiled);
            for (int i = 0; i < PACKETS_PER_POLICY; i++) {
                PacketFields packet = scenario.packet();
                Classification expected = NaiveClassifier.firstMatch(scenario.rules, packet, scenario.defaultAction);
                Classification actual = ClassifierModel.classify(compiled, packet);
                if (!expected.equals(actual)) {
                    fail("seed " + SEED + ", policy " + n + ": packet " + packet + "\n expected " + expected
                            + "\n actual   " + actual + "\n rules:\n  " + String.join("\n  ",
                            scenario.rules.stream().map(Rule::toString).toList()));
                }
                ruleHits += expected.isDefault() ? 0 : 1;
                packets++;
            }
        }
        // The generator must exercise both outcomes, or agreement means little.
        assertTrue(ruleHits > packets / 5, ruleHits + " of " + packets + " packets hit a rule");
        assertTrue(packets - ruleHits > packets / 10, (packets - ruleHits) + " of " + packets + " got the default");
    }

    /** Invariants the kernel relies on, beyond classification results. */
    static void checkShape(CompiledPolicy compiled) {
        assertTrue(compiled.srcBitmaps().containsKey(AddressPrefix.ROOT));
        assertTrue(compiled.dstBitmaps().containsKey(AddressPrefix.ROOT));
        assertTrue(compiled.portBitmaps().containsKey(PortPrefix.ROOT));
        for (Map<?, RuleBitmap> map : new Map[] {compiled.srcBitmaps(), compiled.dstBitmaps(), compiled.portBitmaps(),
            compiled.roleBitmaps()}) {
            for (RuleBitmap bitmap : map.values()) {
                assertTrue(bitmap.highestSetBit() < compiled.nrules(), "bit beyond nrules");
                if (bitmap.isEmpty()) {
                    assertEquals(Abi.XG_BITMAP_WORDS, bitmap.first());
                    assertEquals(0, bitmap.last());
                } else {
                    assertTrue(bitmap.word(bitmap.first()) != 0 && bitmap.word(bitmap.last()) != 0);
                }
            }
        }
        assertEquals(compiled.nrules(), compiled.slots().size());
    }
}
