package io.xdpgate.controlplane.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requests that arrive over TCP must carry {@code Authorization: Bearer <token>}; only health and
 * metrics are open. The unix socket needs none: its file mode is the access control.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 1) // before BodyLimitFilter: an unauthenticated body is never read
class TokenFilter extends OncePerRequestFilter {
    private final int tcpPort;
    private final byte[] token;

    TokenFilter(XdpgateProperties props) {
        this.tcpPort = props.api().tcpPort();
        this.token = props.api().token() == null ? new byte[0] : props.api().token().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean overTcp = tcpPort > 0 && request.getLocalPort() == tcpPort;
        String path = request.getRequestURI();
        boolean open = request.getMethod().equals("GET") && (path.equals("/healthz") || path.equals("/metrics"));
        if (!overTcp || open || authorized(request.getHeader("Authorization"))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"xdpgate\"");
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"the TCP API needs Authorization: Bearer <xdpgate.api.token>\",\"instance\":\""
                + path.replace("\"", "") + "\"}");
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }
}
