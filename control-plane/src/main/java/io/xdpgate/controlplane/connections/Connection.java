package io.xdpgate.controlplane.connections;

import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Tuple;

/** One connection as the API shows it: the table key (original tuple) and the entry. */
public record Connection(Tuple original, Conn entry) {
    public long id() {
        return entry.id();
    }
}
