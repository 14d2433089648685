package io.xdpgate.datapath.netlink;

/**
 * One rtnetlink message about links: a link that exists or changed ({@link Type#NEW}: RTM_NEWLINK,
 * from events and from a dump), one that is gone ({@link Type#DEL}), the end of a dump
 * ({@link Type#DONE}) or the kernel's error answer to a request ({@link Type#ERROR}, with its errno).
 *
 * @param interrupted NLM_F_DUMP_INTR: the link list changed while the kernel was dumping it, so
 *                    the dump may be inconsistent and must be repeated
 */
public record LinkMessage(Type type, Link link, int errno, boolean interrupted) {
    public enum Type { NEW, DEL, DONE, ERROR }

    static LinkMessage of(Type type, Link link, boolean interrupted) {
        return new LinkMessage(type, link, 0, interrupted);
    }
}
