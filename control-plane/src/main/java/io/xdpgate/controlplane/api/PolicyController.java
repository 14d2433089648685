package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.policy.PolicyService;
import io.xdpgate.controlplane.policy.PolicySource;
import io.xdpgate.controlplane.policy.check.PolicyRejectedException;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The policy: read it, check a candidate, replace it (whole, atomically, persisted). */
@RestController
class PolicyController {
    private final PolicyService policies;
    private final PolicySource source;

    PolicyController(PolicyService policies, PolicySource source) {
        this.policies = policies;
        this.source = source;
    }

    @GetMapping(value = "/api/v1/policy", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> get() {
        PolicyDocument current = policies.current();
        if (current == null) {
            ProblemDetail none = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "no policy has been applied: every new flow is dropped");
            none.setTitle("No policy");
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(PolicyParser.writeAny(none));
        }
        return ResponseEntity.ok(PolicyParser.write(current));
    }

    @PutMapping(value = "/api/v1/policy", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> put(@RequestBody String json) {
        if (!source.acceptsApiWrites()) {
            throw new PolicyFromElsewhere();
        }
        var applied = policies.apply(json);
        return Map.of("applied", true, "rules", applied.rules().size(), "gateways", applied.gateways().size());
    }

    @PostMapping(value = "/api/v1/policy:validate", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> validate(@RequestBody String json) {
        List<Violation> violations = policies.validate(json);
        if (!violations.isEmpty()) {
            throw new PolicyRejectedException(violations);
        }
        return Map.of("valid", true);
    }

    /** PUT while another source owns the policy. */
    static final class PolicyFromElsewhere extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /**
     * 409: the node's one source of truth is elsewhere (XdpgatePolicy objects); a write here would
     * be undone by the next reconcile, so it is refused and nothing changes. Reads and validate work.
     */
    @ExceptionHandler(PolicyFromElsewhere.class)
    ResponseEntity<ProblemDetail> fromElsewhere() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "this node's policy comes from the cluster (xdpgate.policy-source=" + source.name()
                        + "): change the XdpgatePolicy object that selects the node (kubectl get xdpgatepolicies); "
                        + "GET /api/v1/policy and POST /api/v1/policy:validate still work");
        problem.setTitle("Policy is managed by the cluster; the policy in force is unchanged");
        problem.setProperty("policySource", source.name());
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** 400 with every violation (field path and reason); the policy in force is untouched. */
    @ExceptionHandler(PolicyRejectedException.class)
    ProblemDetail rejected(PolicyRejectedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                e.violations().size() == 1 ? e.violations().get(0).toString()
                        : e.violations().size() + " problems, see violations");
        problem.setTitle("Policy rejected; the policy in force is unchanged");
        problem.setProperty("violations", e.violations());
        return problem;
    }
}
