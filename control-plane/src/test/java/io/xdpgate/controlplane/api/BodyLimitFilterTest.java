package io.xdpgate.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** A body without Content-Length (chunked) is cut off at the limit too; one within it is handed on whole. */
class BodyLimitFilterTest {
    /** A chunked request: the length is unknown until the body has been read. */
    private static MockHttpServletRequest chunked(byte[] body) {
        MockHttpServletRequest r = new MockHttpServletRequest("PUT", "/api/v1/policy") {
            @Override
            public int getContentLength() {
                return -1;
            }

            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        r.addHeader("Transfer-Encoding", "chunked");
        r.setContent(body);
        return r;
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        new BodyLimitFilter(16).doFilter(chunked(new byte[17]), response, chain);
        assertEquals(413, response.getStatus());
        assertTrue(response.getContentType().startsWith("application/problem+json"), response.getContentType());
        assertTrue(response.getContentAsString().contains("\"status\":413"), response.getContentAsString());
        assertNull(chain.getRequest(), "the controllers never saw it");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsHandedOn() throws Exception {
        byte[] body = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
        MockFilterChain chain = new MockFilterChain();
        new BodyLimitFilter(16).doFilter(chunked(body), new MockHttpServletResponse(), chain);
        ServletRequest seen = chain.getRequest();
        assertArrayEquals(body, seen.getInputStream().readAllBytes());
        assertEquals(body.length, seen.getContentLengthLong());
    }

    @Test
    void aRequestWithoutBodyPassesUntouched() throws Exception {
        MockHttpServletRequest get = new MockHttpServletRequest("GET", "/api/v1/policy");
        MockFilterChain chain = new MockFilterChain();
        new BodyLimitFilter(16).doFilter(get, new MockHttpServletResponse(), chain);
        assertEquals(get, chain.getRequest());
    }
}
