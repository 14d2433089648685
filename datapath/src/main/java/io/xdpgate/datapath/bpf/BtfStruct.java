package io.xdpgate.datapath.bpf;

import java.util.List;
import java.util.Optional;

/** A struct or union of a BTF blob. */
public record BtfStruct(String name, boolean union, long size, List<BtfMember> members) {
    public Optional<BtfMember> member(String memberName) {
        return members.stream().filter(m -> m.name().equals(memberName)).findFirst();
    }
}
