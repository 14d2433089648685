package io.xdpgate.controlplane.policy.check;

import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.util.List;

/**
 * Everything wrong with a document, each with its JSON pointer and a reason, so one answer
 * tells the user all there is to fix. The datapath's parsers and {@code Rule} judge the values;
 * this adds what only the document knows: names, gateways, pools, limits.
 */
public final class PolicyValidator {
    private PolicyValidator() {
    }

    /** Empty when the document is valid (it then translates and compiles). */
    public static List<Violation> validate(PolicyDocument doc) {
        return DocumentCheck.run(doc).violations();
    }
}
