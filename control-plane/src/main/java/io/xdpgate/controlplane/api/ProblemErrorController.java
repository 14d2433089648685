package io.xdpgate.controlplane.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page (errors outside the controllers: a filter that failed, a
 * request Tomcat refused), in place of Spring Boot's: problem+json like every other error, with
 * the status's reason phrase as the detail and no exception text.
 */
@RestController
class ProblemErrorController implements ErrorController {
    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer i ? HttpStatus.resolve(i) : null;
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        ProblemDetail p;
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (status.is5xxServerError()) {
            p = ApiErrors.internal(failure instanceof Throwable t ? t : new IllegalStateException("status " + status));
        } else {
            p = ProblemDetail.forStatusAndDetail(status, status.getReasonPhrase());
            p.setTitle(status.getReasonPhrase());
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String s) {
            p.setInstance(java.net.URI.create(s.replace(" ", "%20")));
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
