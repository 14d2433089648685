# Sourced by the lab benchmarks. Each measurement talks to a server address of its own: the
# new-connection runs leave tens of thousands of TIME_WAIT sockets in nginx, and a run that
# reused their tuples would pay for the run before it (measured: 17,000 -> 700 req/s for the
# same setup, three runs on). fresh_server adds the next address (198.18.2.11 on) to xg-server
# and sets SERVER to it; call it in the benchmark's shell, not in a $(...) subshell, or the
# count is lost.
SERVERS=0
fresh_server() {
    SERVERS=$((SERVERS + 1))
    SERVER=198.18.2.$((10 + SERVERS))
    ip netns exec xg-server ip addr add "$SERVER/24" dev s0
    ip netns exec xg-client curl -s -o /dev/null -m 2 "http://$SERVER/index.html" || true
}
