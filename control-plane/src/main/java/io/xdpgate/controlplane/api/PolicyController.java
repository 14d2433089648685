package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.policy.PolicyService;
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

    PolicyController(PolicyService policies) {
        this.policies = policies;
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
