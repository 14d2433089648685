package io.xdpgate.gateways.runtime;

import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;

/** One TCP connection through the gateway: both directions, the protocol session, where it stands. */
final class Flow extends TrackedFlow {
    enum State {
        /** Bytes go to the session; nothing is released before it approves. */
        INSPECTING,
        /** The session let the whole flow through: frames are relayed without inspection. */
        ALLOWED,
        /** Refused: the server was reset, the client got the refusal and is reset on its next word. */
        DENIED
    }

    /**
     * Null once closed ({@link FlowTable#closeSession}): a finished connection keeps only its TCP
     * state for the closing time, not its protocol parsers.
     */
    GatewaySession session;
    final FrameCrafter crafter;
    final TcpStream client = new TcpStream();
    final TcpStream server = new TcpStream();
    State state = State.INSPECTING;
    /** DENIED: when to reset the client if it stays silent; next sequence number towards it. */
    long denyDeadlineNs;
    int clientResetSeq;
    /** Both FINs went through: the flow is kept a little for the last ACK and retransmissions. */
    boolean finishing;
    /** Both SYNs carried timestamps (RFC 7323): every data segment must, and none may go back. */
    boolean timestamps;
    /** What the flow takes of the hold budget: held frames, and held payload plus released-unacked bytes. */
    int heldFrames;
    long heldBytes;

    Flow(FlowKey key, FlowContext origin, GatewaySession session, FrameCrafter crafter, long nowNs) {
        super(key, origin, nowNs);
        this.session = session;
        this.crafter = crafter;
    }

    @Override
    void closeSession() {
        GatewaySession s = session;
        session = null;
        if (s != null) {
            s.close();
        }
    }

    TcpStream stream(boolean fromClient) {
        return fromClient ? client : server;
    }

    /** Both directions, client's first. */
    TcpStream[] streams() {
        return new TcpStream[] {client, server};
    }
}
