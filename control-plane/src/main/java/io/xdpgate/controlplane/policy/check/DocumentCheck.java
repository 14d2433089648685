package io.xdpgate.controlplane.policy.check;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.PortPool;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.TranslatedPolicy;
import io.xdpgate.datapath.policy.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything wrong with a document, each with its JSON pointer and a reason, so one answer tells
 * the user all there is to fix; when nothing is wrong, the document translated. One pass that
 * both the parser (for the violations) and
 * {@link io.xdpgate.controlplane.policy.translate.PolicyTranslation} use, so what is validated is
 * exactly what is translated.
 */
public final class DocumentCheck {
    /** @param policy null when there are violations */
    public record Result(List<Violation> violations, TranslatedPolicy policy) {
    }

    private DocumentCheck() {
    }

    public static Result run(PolicyDocument doc) {
        Violations out = new Violations();
        if (doc == null) {
            out.add("", "the document must be a JSON object, not null");
            return new Result(out.list(), null);
        }
        Action defaultAction = defaultAction(doc.defaultAction(), out);
        List<GatewayAssignment> gateways = gateways(doc.gateways(), out);
        List<Rule> rules = rules(doc, gateways, out);
        List<Violation> violations = out.list();
        return new Result(violations, violations.isEmpty()
                ? new TranslatedPolicy(doc, rules, defaultAction, gateways) : null);
    }

    private static Action defaultAction(String text, Violations out) {
        if (text == null) {
            out.add("/defaultAction", "missing: say what happens to flows no rule matches, drop or pass");
            return null;
        }
        Action action;
        try {
            action = Action.parse(text);
        } catch (IllegalArgumentException e) {
            out.add("/defaultAction", "unknown default action \"" + text + "\": use drop or pass");
            return null;
        }
        if (action == Action.REDIRECT) {
            out.add("/defaultAction", "must be drop or pass: only a rule can redirect, because it names the gateway");
            return null;
        }
        return action;
    }

    /** The valid gateways, with ids by position; an invalid one leaves a gap, never a shifted id. */
    private static List<GatewayAssignment> gateways(List<GatewaySpec> specs, Violations out) {
        if (specs.size() > Abi.XG_MAX_GATEWAYS) {
            out.add("/gateways", "has " + specs.size() + " gateways; the kernel has room for "
                    + Abi.XG_MAX_GATEWAYS + " (XG_MAX_GATEWAYS)");
        }
        GatewayCheck check = new GatewayCheck(out);
        List<GatewayAssignment> valid = new ArrayList<>();
        for (int id = 0; id < specs.size(); id++) {
            GatewaySpec spec = specs.get(id);
            if (check.check("/gateways/" + id, spec) && id < Abi.XG_MAX_GATEWAYS) {
                GatewayAssignment gw = new GatewayAssignment(spec.name(), id, spec);
                disjointPools(gw, valid, out);
                valid.add(gw);
            }
        }
        return valid;
    }

    /**
     * A pool port identifies its connection to the gateway runtime (which may host several
     * gateways at one address), so no two gateways share a port.
     */
    private static void disjointPools(GatewayAssignment gw, List<GatewayAssignment> earlier, Violations out) {
        PortPool pool = gw.pool();
        for (GatewayAssignment other : earlier) {
            if (pool.overlaps(other.pool())) {
                out.add("/gateways/" + gw.id() + "/ports", "pool " + pool + " overlaps pool " + other.pool()
                        + " of gateway \"" + other.name() + "\" (/gateways/" + other.id() + "); a pool port"
                        + " identifies its connection, so gateways cannot share one");
            }
        }
    }

    private static List<Rule> rules(PolicyDocument doc, List<GatewayAssignment> gateways, Violations out) {
        List<RuleSpec> specs = doc.rules();
        if (specs.size() > Abi.XG_MAX_RULES) {
            out.add("/rules", "has " + specs.size() + " rules; the kernel's rule bitmaps hold at most "
                    + Abi.XG_MAX_RULES + " (XG_MAX_RULES)");
        }
        Set<String> declared = new HashSet<>();
        for (GatewaySpec g : doc.gateways()) {
            if (g != null && g.name() != null) {
                declared.add(g.name());
            }
        }
        Map<String, GatewayAssignment> valid = new HashMap<>();
        for (GatewayAssignment g : gateways) {
            valid.putIfAbsent(g.name(), g);
        }
        RuleCheck check = new RuleCheck(declared, valid, out);
        List<Rule> rules = new ArrayList<>(specs.size());
        for (int id = 0; id < specs.size(); id++) {
            Rule rule = check.check(id, specs.get(id));
            if (rule != null) {
                rules.add(rule);
            }
        }
        return rules;
    }
}
