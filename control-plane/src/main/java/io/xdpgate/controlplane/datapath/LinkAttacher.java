package io.xdpgate.controlplane.datapath;

import io.xdpgate.datapath.netlink.Link;

/** Puts the packet processor on a link a pattern selected, and takes it off again. */
public interface LinkAttacher {
    /** Describes the link in the maps and attaches; throws when it cannot (the link stays uncovered). */
    Attachment attach(Link link, PatternBinding binding);

    /**
     * Takes the program off (when the link still exists: {@code gone} false) and clears the link's
     * map entries (its ifaces slot, its forwarding port).
     */
    void detach(Attachment attachment, boolean gone);

    /** The link was renamed and stays selected: the program stays, only the name it is listed under changes. */
    Attachment renamed(Attachment attachment, String name);
}
