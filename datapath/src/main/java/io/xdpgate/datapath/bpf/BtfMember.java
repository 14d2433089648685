package io.xdpgate.datapath.bpf;

import java.util.List;

/**
 * A struct or union member as BTF describes it.
 *
 * @param name         member name ("" for an anonymous member)
 * @param bitOffset    offset from the start of the struct in bits
 * @param bitfieldSize bits of a bitfield, 0 for an ordinary member
 * @param size         bytes of the member's type (of the whole array for an array)
 * @param typeName     the declared type's name, array dimensions and const/volatile peeled off:
 *                     a typedef such as {@code __be16}, or a struct/enum name such as {@code xg_tuple}
 * @param dims         array dimensions, outermost first; empty for a scalar
 */
public record BtfMember(String name, long bitOffset, int bitfieldSize, long size, String typeName, List<Integer> dims) {
    public long byteOffset() {
        return bitOffset / 8;
    }
}
