package io.xdpgate.datapath.packet;

/** A frame {@link PacketView} cannot make sense of; the message says which header and where. */
public class PacketParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public PacketParseException(String message) {
        super(message);
    }
}
