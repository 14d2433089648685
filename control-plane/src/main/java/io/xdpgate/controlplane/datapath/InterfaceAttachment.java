package io.xdpgate.controlplane.datapath;

import io.xdpgate.abi.Role;

/**
 * An external or internal interface the packet processor is attached to, with its role and the
 * pattern that selected it (null: configured by its name).
 */
public record InterfaceAttachment(Attachment attachment, Role role, InterfacePattern pattern) {
}
