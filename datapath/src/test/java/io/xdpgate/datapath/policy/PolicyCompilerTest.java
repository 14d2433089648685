package io.xdpgate.datapath.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.RuleSlot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The shape of the compiled maps: exactly what the map writer will store. */
class PolicyCompilerTest {

    private static AddressPrefix addr(String cidr) {
        return Cidr.parse(cidr).mappedPrefix();
    }

    @Test
    void mapsHoldTheRulesOfEachPrefixAndItsAncestors() {
        List<Rule> rules = List.of(
                Rule.builder(100).src("198.18.2.0/24").tcp().ports("80").pass().build(),
                Rule.builder(101).src("198.18.2.128/25").udp().drop().build(),
                Rule.builder(102).dst("2001:db8::/32").tcp().ports("1000-1003").role(RoleFilter.EXTERNAL).redirect(2).build(),
                Rule.builder(103).role(RoleFilter.INTERNAL).pass().build());
        CompiledPolicy policy = PolicyCompiler.compile(rules, Action.DROP);

        assertEquals(Map.of(
                AddressPrefix.ROOT, RuleBitmap.ofBits(2, 3),
                addr("198.18.2.0/24"), RuleBitmap.ofBits(0, 2, 3),
                addr("198.18.2.128/25"), RuleBitmap.ofBits(0, 1, 2, 3)), policy.srcBitmaps());
        assertEquals(Map.of(
                AddressPrefix.ROOT, RuleBitmap.ofBits(0, 1, 3),
                addr("2001:db8::/32"), RuleBitmap.ofBits(0, 1, 2, 3)), policy.dstBitmaps());
        assertEquals(Map.of(
                PortPrefix.ROOT, RuleBitmap.ofBits(3),
                PortPrefix.exact(6, 80), RuleBitmap.ofBits(0, 3),
                PortPrefix.protocolOnly(17), RuleBitmap.ofBits(1, 3),
                new PortPrefix(6, 1000, 8 + 14), RuleBitmap.ofBits(2, 3)), policy.portBitmaps());
        assertEquals(RuleBitmap.ofBits(0, 1, 2), policy.roleBitmap(Role.EXTERNAL));
        assertEquals(RuleBitmap.ofBits(0, 1, 3), policy.roleBitmap(Role.INTERNAL));
        assertEquals(RuleBitmap.empty(), policy.roleBitmap(Role.GATEWAY));
        assertEquals(List.of(new RuleSlot(100, Action.PASS, 0), new RuleSlot(101, Action.DROP, 0),
                new RuleSlot(102, Action.REDIRECT, 2), new RuleSlot(103, Action.PASS, 0)), policy.slots());
        assertEquals(new PolicyEntryCounts(3, 2, 4, 4), policy.entryCounts());
        assertEquals(4, policy.nrules());
        assertEquals(Action.DROP, policy.defaultAction());
    }

    @Test
    void aPairedPortGoesIntoTheSlotAsASignedOffset() {
        CompiledPolicy policy = PolicyCompiler.compile(List.of(
                Rule.builder(1).udp().ports("5004").pass().pairedPort(1).build(),
                Rule.builder(2).tcp().ports("6000-6009").redirect(3).pairedPort(-1).build(),
                Rule.builder(3).udp().ports("7000").pass().build()), Action.DROP);
        assertEquals(List.of(new RuleSlot(1, Action.PASS, 0, 1), new RuleSlot(2, Action.REDIRECT, 3, -1),
                new RuleSlot(3, Action.PASS, 0, 0)), policy.slots());
    }

    @Test
    void aPairedPortNeedsTcpOrUdpPassOrRedirectAndASmallOffset() {
        assertThrows(IllegalArgumentException.class, () -> Rule.builder(1).pass().pairedPort(1).build());
        assertThrows(IllegalArgumentException.class, () -> Rule.builder(1).protocol("icmp").pass().pairedPort(1).build());
        assertThrows(IllegalArgumentException.class, () -> Rule.builder(1).udp().drop().pairedPort(1).build());
        assertThrows(IllegalArgumentException.class, () -> Rule.builder(1).udp().pass().pairedPort(17).build());
        assertThrows(IllegalArgumentException.class, () -> Rule.builder(1).udp().pass().pairedPort(-17).build());
    }

    @Test
    void keyPrefixLengthsCountTheGenerationByte() {
        assertEquals(8, AddressPrefix.ROOT.keyPrefixLength());
        assertEquals(8 + 96 + 24, addr("198.18.2.0/24").keyPrefixLength());
        assertEquals(8 + 96, addr("0.0.0.0/0").keyPrefixLength());
        assertEquals(8 + 128, addr("2001:db8::1").keyPrefixLength());
        assertEquals(8, PortPrefix.ROOT.keyPrefixLength());
        assertEquals(16, PortPrefix.protocolOnly(6).keyPrefixLength());
        assertEquals(32, PortPrefix.exact(6, 80).keyPrefixLength());
        assertEquals(List.of(new PortPrefix(6, 1024, 8 + 6), new PortPrefix(6, 2048, 8 + 5)),
                PolicyCompiler.portPrefixes(Rule.builder(1).tcp().ports("1024-4095").build()));
    }

    @Test
    void mapsIterateShortestPrefixFirst() {
        List<Rule> rules = new ArrayList<>();
        String[] cidrs = {"198.18.2.7", "198.18.0.0/15", "2001:db8::/32", "198.18.2.0/24", "2001:db8::1"};
        for (int i = 0; i < cidrs.length; i++) {
            rules.add(Rule.builder(i).src(cidrs[i]).pass().build());
        }
        List<Integer> lengths = PolicyCompiler.compile(rules, Action.DROP).srcBitmaps().keySet().stream()
                .map(AddressPrefix::length).toList();
        List<Integer> sorted = new ArrayList<>(lengths);
        Collections.sort(sorted);
        assertEquals(sorted, lengths);
    }

    @Test
    void ipv4RootIsAddedWhenAnIpv6PrefixCoversTheMappedRange() {
        List<Rule> rules = List.of(
                Rule.builder(1).src("::/0").pass().build(),
                Rule.builder(2).src("198.18.0.0/15").drop().build(),
                Rule.builder(3).pass().build());
        Map<AddressPrefix, RuleBitmap> src = PolicyCompiler.compile(rules, Action.DROP).srcBitmaps();
        assertEquals(Map.of(
                AddressPrefix.ROOT, RuleBitmap.ofBits(0, 2),
                AddressPrefix.IPV4_MAPPED, RuleBitmap.ofBits(2),
                addr("198.18.0.0/15"), RuleBitmap.ofBits(1, 2)), src);

        Map<AddressPrefix, RuleBitmap> plain = PolicyCompiler.compile(
                List.of(Rule.builder(1).src("2001:db8::/32").pass().build()), Action.DROP).srcBitmaps();
        assertFalse(plain.containsKey(AddressPrefix.IPV4_MAPPED));
    }

    @Test
    void ipv4WildcardPrefixIsTheMappedRoot() {
        Map<AddressPrefix, RuleBitmap> src = PolicyCompiler.compile(List.of(
                Rule.builder(1).src("0.0.0.0/0").pass().build(),
                Rule.builder(2).src("198.18.0.0/15").drop().build()), Action.DROP).srcBitmaps();
        assertEquals(Map.of(
                AddressPrefix.ROOT, RuleBitmap.empty(),
                AddressPrefix.IPV4_MAPPED, RuleBitmap.ofBits(0),
                addr("198.18.0.0/15"), RuleBitmap.ofBits(0, 1)), src);
    }

    @Test
    void refusals() {
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> PolicyCompiler.compile(
                List.of(Rule.builder(5).pass().build(), Rule.builder(5).drop().build()), Action.DROP));
        assertTrue(dup.getMessage().contains("rule id 5 appears twice"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PolicyCompiler.compile(List.of(), Action.REDIRECT));

        List<Rule> tooMany = new ArrayList<>();
        for (int i = 0; i <= Abi.XG_MAX_RULES; i++) {
            tooMany.add(Rule.builder(i).pass().build());
        }
        PolicyTooLargeException e = assertThrows(PolicyTooLargeException.class,
                () -> PolicyCompiler.compile(tooMany, Action.DROP));
        assertEquals("policy has 10241 rules; the kernel's rule bitmaps hold at most 10240 (XG_MAX_RULES)", e.getMessage());
    }
}
