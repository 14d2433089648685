package io.xdpgate.controlplane.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The health listener ({@code xdpgate.api.health-port}) carries no token, so it answers only
 * {@code GET /healthz} and {@code GET /metrics}, which say nothing a probe or a scraper may not
 * know; every other request there is 404, as if the API were not there.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 2) // before TokenFilter and BodyLimitFilter
class HealthPortFilter extends OncePerRequestFilter {
    private final int healthPort;

    HealthPortFilter(XdpgateProperties props) {
        this.healthPort = props.api().healthPort();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        boolean onHealthPort = healthPort > 0 && request.getLocalPort() == healthPort;
        boolean open = request.getMethod().equals("GET") && (path.equals("/healthz") || path.equals("/metrics"));
        if (!onHealthPort || open) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"the health listener serves only GET /healthz and GET /metrics; the API is on the unix"
                + " socket (and xdpgate.api.tcp-port, with a token)\",\"instance\":\"" + path.replace("\"", "") + "\"}");
    }
}
