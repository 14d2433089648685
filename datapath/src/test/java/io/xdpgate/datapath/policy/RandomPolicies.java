package io.xdpgate.datapath.policy;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.AddressLiteral;
import io.xdpgate.abi.Role;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random rule sets and packets that hit them where it matters: nested and
 * sibling prefixes, "/0" wildcards of both families, shared and overlapping
 * port ranges, and packet fields on and next to every edge. Addresses stay in
 * 198.18.0.0/15 and 2001:db8::/32.
 */
final class RandomPolicies {
    private static final BigInteger V4_LOW = new BigInteger("c6120000", 16);
    private static final BigInteger V4_HIGH = new BigInteger("c613ffff", 16);
    private static final BigInteger V6_LOW = new BigInteger("20010db8000000000000000000000000", 16);
    private static final BigInteger V6_HIGH = new BigInteger("20010db8ffffffffffffffffffffffff", 16);
    private static final int[] V4_LENGTHS = {15, 16, 17, 20, 23, 24, 25, 28, 30, 31, 32};
    private static final int[] V6_LENGTHS = {32, 33, 48, 63, 64, 65, 96, 112, 120, 127, 128};
    private static final int[] ICMP_TYPES = {0, 3, 8, 11, 128, 129, 133, 135, 136, 255};

    private final Random random;
    private final List<Cidr> v4 = new ArrayList<>();
    private final List<Cidr> v6 = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    final List<Rule> rules = new ArrayList<>();
    final Action defaultAction;

    RandomPolicies(Random random, int ruleCount) {
        this.random = random;
        prefixPool(v4, 32, V4_LOW, V4_LENGTHS);
        prefixPool(v6, 128, V6_LOW, V6_LENGTHS);
        for (int p : new int[] {0, 1, 80, 443, 1023, 1024, 65534, 65535}) {
            if (random.nextInt(3) == 0) {
                ports.add(p);
            }
        }
        while (ports.size() < 6) {
            ports.add(random.nextInt(65536));
        }
        for (int i = 0; i < ruleCount; i++) {
            rules.add(rule(i * 7 + 3));
        }
        defaultAction = random.nextBoolean() ? Action.PASS : Action.DROP;
    }

    /** A few anchor addresses, each with several nested prefixes and the odd sibling. */
    private void prefixPool(List<Cidr> pool, int bits, BigInteger low, int[] lengths) {
        int anchors = 1 + random.nextInt(3);
        int spanBits = bits == 32 ? 17 : 96;
        for (int a = 0; a < anchors; a++) {
            BigInteger anchor = low.add(new BigInteger(spanBits, random));
            int count = 2 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                int length = lengths[random.nextInt(lengths.length)];
                BigInteger network = network(anchor, length, bits);
                pool.add(cidr(network, length, bits));
                if (random.nextInt(4) == 0 && length > lengths[0]) {
                    pool.add(cidr(network.flipBit(bits - length), length, bits));
                }
            }
        }
    }

    private Rule rule(int id) {
        RuleBuilder rule = Rule.builder(id);
        int family = random.nextInt(10); // 0..4 IPv4, 5..8 IPv6, 9 no prefixes
        if (family < 9) {
            boolean ipv4 = family < 5;
            rule.src(maybePrefix(ipv4)).dst(maybePrefix(ipv4));
        }
        boolean ipv4ish = family < 5 || (family == 9 && random.nextBoolean());
        int protocolChoice = random.nextInt(20);
        Protocol protocol = protocolChoice < 5 ? Protocol.ANY
                : protocolChoice < 11 ? Protocol.TCP
                : protocolChoice < 15 ? Protocol.UDP
                : protocolChoice < 18 ? (ipv4ish ? Protocol.ICMP : Protocol.ICMPV6)
                : new Protocol(47);
        rule.protocol(protocol);
        if (protocol.hasPorts() && random.nextInt(10) < 6) {
            rule.ports(protocol.isIcmpFamily() ? range(ICMP_TYPES) : range(ports.stream().mapToInt(i -> i).toArray()));
        }
        int role = random.nextInt(5);
        rule.role(role < 3 ? RoleFilter.ANY : role == 3 ? RoleFilter.EXTERNAL : RoleFilter.INTERNAL);
        boolean redirectable = protocol.equals(Protocol.TCP) || protocol.equals(Protocol.UDP);
        int action = random.nextInt(5);
        if (redirectable && action == 0) {
            rule.redirect(random.nextInt(Abi.XG_MAX_GATEWAYS));
        } else if (action < 3) {
            rule.pass();
        } else {
            rule.drop();
        }
        return rule.build();
    }

    private Cidr maybePrefix(boolean ipv4) {
        int choice = random.nextInt(20);
        if (choice < 7) {
            return null;
        }
        if (choice == 7) {
            return Cidr.parse(ipv4 ? "0.0.0.0/0" : "::/0");
        }
        List<Cidr> pool = ipv4 ? v4 : v6;
        return pool.get(random.nextInt(pool.size()));
    }

    private PortRange range(int[] values) {
        int a = values[random.nextInt(values.length)];
        if (random.nextInt(3) == 0) {
            return PortRange.of(a);
        }
        int b = values[random.nextInt(values.length)];
        return new PortRange(Math.min(a, b), Math.max(a, b));
    }

    PacketFields packet() {
        boolean ipv4 = random.nextBoolean();
        int protocolChoice = random.nextInt(12);
        int protocol = switch (protocolChoice) {
            case 0, 1, 2, 3 -> 6;
            case 4, 5, 6 -> 17;
            case 7, 8 -> ipv4 ? 1 : 58;
            case 9 -> ipv4 ? 58 : 1; // the wrong ICMP for the family: still must agree
            case 10 -> 47;
            default -> 50;
        };
        int port = switch (protocol) {
            case 6, 17 -> nearby(ports.get(random.nextInt(ports.size())), 65535);
            case 1, 58 -> nearby(ICMP_TYPES[random.nextInt(ICMP_TYPES.length)], 255);
            default -> 0;
        };
        int role = random.nextInt(10);
        Role ingress = role < 5 ? Role.EXTERNAL : role < 9 ? Role.INTERNAL : Role.GATEWAY;
        return new PacketFields(address(ipv4), address(ipv4), protocol, port, ingress);
    }

    /** An address on, inside or just outside the edge of a pooled prefix, or anywhere in the test range. */
    private java.net.InetAddress address(boolean ipv4) {
        int bits = ipv4 ? 32 : 128;
        BigInteger low = ipv4 ? V4_LOW : V6_LOW;
        BigInteger high = ipv4 ? V4_HIGH : V6_HIGH;
        List<Cidr> pool = ipv4 ? v4 : v6;
        BigInteger value;
        if (random.nextInt(10) < 8) {
            Cidr cidr = pool.get(random.nextInt(pool.size()));
            BigInteger first = new BigInteger(1, cidr.address().getAddress());
            BigInteger last = first.add(BigInteger.ONE.shiftLeft(bits - cidr.prefixLength())).subtract(BigInteger.ONE);
            value = switch (random.nextInt(5)) {
                case 0 -> first;
                case 1 -> last;
                case 2 -> first.subtract(BigInteger.ONE);
                case 3 -> last.add(BigInteger.ONE);
                default -> first.add(new BigInteger(bits - cidr.prefixLength(), random));
            };
        } else {
            value = low.add(new BigInteger(ipv4 ? 17 : 96, random));
        }
        if (value.compareTo(low) < 0 || value.compareTo(high) > 0) {
            value = low.add(new BigInteger(ipv4 ? 17 : 96, random));
        }
        return AddressLiteral.toInetAddress(bytes(value, bits));
    }

    private int nearby(int value, int max) {
        int shifted = value + random.nextInt(3) - 1;
        return random.nextInt(8) == 0 ? random.nextInt(max + 1) : Math.max(0, Math.min(max, shifted));
    }

    private static BigInteger network(BigInteger address, int length, int bits) {
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE);
        return address.andNot(hostMask);
    }

    private static Cidr cidr(BigInteger network, int length, int bits) {
        return Cidr.of(AddressLiteral.toInetAddress(bytes(network, bits)), length);
    }

    private static byte[] bytes(BigInteger value, int bits) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[bits / 8];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        return out;
    }
}
