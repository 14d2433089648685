package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.policy.PolicyApplyException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error the API answers is RFC 9457 problem+json, and none carries exception text or stack
 * details. What a client can cause is a 4xx naming the field or the reason (the controllers' own
 * handlers: policy violations, bad parameters; Spring MVC's for the request itself: method, media
 * type, unreadable body, missing or mistyped parameters, unknown paths). Anything else is the
 * daemon's fault: 500 with a generic detail and an incident id, the details in the log under that
 * id.
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {
    private static final Logger LOG = Logger.getLogger(ApiErrors.class.getName());

    /** A valid policy the node could not apply; rolled back (or not: the title says so). */
    @ExceptionHandler(PolicyApplyException.class)
    ResponseEntity<ProblemDetail> notApplied(PolicyApplyException e) {
        String incident = incident();
        // the policy service logged the failure with its cause already
        LOG.severe(() -> "incident " + incident + ": " + e.getMessage());
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                e.rolledBack()
                        ? "the daemon could not apply the policy (" + e.step() + " failed) and rolled back: the policy "
                                + "in force, its gateways and the file on disk are unchanged; see the daemon's log"
                        : "the daemon could not apply the policy (" + e.step() + " failed) and could not undo all of it; "
                                + "see the daemon's log and apply a policy again");
        p.setTitle(e.rolledBack() ? "Policy not applied; the policy in force is unchanged"
                : "Policy not applied; the roll back was incomplete");
        p.setProperty("incident", incident);
        return problem(p);
    }

    /** Anything unforeseen: the daemon's fault. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        return problem(internal(e));
    }

    /** Spring MVC's own answers: kept for 4xx (they name the parameter or header), made generic for 5xx. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        if (status.is5xxServerError()) {
            ProblemDetail p = internal(ex);
            return ResponseEntity.status(p.getStatus()).headers(headers).body(p);
        }
        return super.handleExceptionInternal(ex, body, headers, status, request);
    }

    static ProblemDetail internal(Throwable e) {
        String incident = incident();
        LOG.log(Level.SEVERE, "incident " + incident + ": the API failed unexpectedly", e);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the daemon failed to answer this request; the details are in its log under incident " + incident);
        p.setTitle("Internal error");
        p.setProperty("incident", incident);
        return p;
    }

    static String incident() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).body(p);
    }
}
