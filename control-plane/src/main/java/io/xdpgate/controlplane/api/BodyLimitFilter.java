package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.config.XdpgateProperties;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body over {@code xdpgate.api.max-body} (1 MiB by default) with 413 and a
 * problem+json body, before any controller reads it: at once when Content-Length says so,
 * otherwise (chunked) as soon as more than the limit has arrived. A body within the limit is read
 * into memory and handed on.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class BodyLimitFilter extends OncePerRequestFilter {
    private final long limit;

    @Autowired
    BodyLimitFilter(XdpgateProperties props) {
        this(props.api().maxBody().toBytes());
    }

    BodyLimitFilter(long limit) {
        this.limit = limit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            tooLarge(request, response);
            return;
        }
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        if (declared <= 0 && !chunked) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), limit + 1);
        if (body.length > limit) {
            tooLarge(request, response);
            return;
        }
        chain.doFilter(new BufferedBody(request, body), response);
    }

    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        long total = 0;
        int n;
        while (total < max && (n = in.read(buf, 0, (int) Math.min(buf.length, max - total))) > 0) {
            out.write(buf, 0, n);
            total += n;
        }
        return out.toByteArray();
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // RFC 9457 members, written out here: the filter runs before Spring MVC's converters
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "about:blank");
        p.put("title", "Request body too large");
        p.put("status", HttpStatus.CONTENT_TOO_LARGE.value());
        p.put("detail", "the request body is larger than " + limit
                + " bytes, the most this daemon reads (xdpgate.api.max-body)");
        p.put("instance", request.getRequestURI());
        p.put("limit", limit);
        response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
        // what was not read is not worth waiting for
        response.setHeader("Connection", "close");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(PolicyParser.writeAny(p));
    }

    /** The request with its body already read. */
    private static final class BufferedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body was read already");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String enc = getCharacterEncoding();
            Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
            return new BufferedReader(new InputStreamReader(getInputStream(), cs));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
