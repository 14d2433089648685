package io.xdpgate.datapath.tables;

/** A compiled policy needs more entries in a kernel map than one generation may use. */
public class PolicyCapacityException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public PolicyCapacityException(String map, int needed, int available) {
        super("policy needs " + needed + " entries in map " + map + " but a generation has room for "
                + available + "; split port ranges or merge prefixes");
    }
}
