package io.xdpgate.controlplane.cli;

import java.io.IOException;

/** No socket to talk to: exit 3, the message names every place looked. */
final class DaemonUnreachableException extends IOException {
    DaemonUnreachableException(String message) {
        super(message);
    }
}
