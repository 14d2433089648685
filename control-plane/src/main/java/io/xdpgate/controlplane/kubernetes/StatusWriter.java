package io.xdpgate.controlplane.kubernetes;

/** Writes this node's entry in an XdpgatePolicy's status; failures are the writer's to log. */
public interface StatusWriter {
    /** Sets this node's condition on the object (a no-op when it already says so). */
    void write(String objectName, NodeCondition condition);

    /** Removes this node's entry from the object, if it has one (the object no longer selects the node). */
    void clear(String objectName);
}
