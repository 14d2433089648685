package io.xdpgate.controlplane.events;

import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Event;
import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A flow event as the daemon reports it: the kernel's {@code xg_event} with its rule and gateway
 * named after the policy in force when the event was read.
 *
 * @param seq       position in this daemon's event stream, from 1
 * @param time      when the kernel wrote it (its monotonic stamp moved onto the wall clock)
 * @param type      new, redirect, closed or drop
 * @param connId    the connection's id (as in the connection table); 0 for a drop, which has none
 * @param original  the flow's 5-tuple as the client sent it
 * @param nat       the original direction after NAT, towards the gateway; null unless redirected
 * @param ruleId    the id of the rule that decided (its index in the document); null for the
 *                  default action
 * @param rule      the rule's name, {@code "default"} for the default action, or null when the
 *                  policy in force has no rule with that id (it was replaced since)
 * @param gatewayId the gateway's id (its index in the document); null when no gateway was involved
 * @param gateway   the gateway's name; null when no gateway was involved or the policy in force
 *                  has none with that id
 * @param reason    why a new flow was refused (one of the {@code DROP_*} counters); null unless a drop
 */
public record FlowEvent(long seq, Instant time, EventType type, long connId, Tuple original, Tuple nat,
                        Long ruleId, String rule, Integer gatewayId, String gateway, Stat reason) {
    /** What {@link #rule} says for the default action. */
    public static final String DEFAULT_RULE = "default";

    public FlowEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(original, "original");
    }

    /**
     * Names a kernel event after {@code policy} (null: none applied). A rule's id is its index in
     * the document, a gateway's id likewise.
     */
    public static FlowEvent of(long seq, Instant time, Event e, PolicyDocument policy) {
        boolean byDefault = Integer.toUnsignedLong(e.ruleId()) == Abi.XG_RULE_DEFAULT;
        RuleSpec ruleSpec = byDefault ? null : at(policy == null ? null : policy.rules(), e.ruleId());
        Long ruleId = byDefault ? null : Integer.toUnsignedLong(e.ruleId());
        String rule = byDefault ? DEFAULT_RULE : ruleSpec == null ? null : ruleSpec.name();
        Tuple nat = e.nat().isZero() ? null : e.nat();
        Integer gatewayId = null;
        String gateway = null;
        if (involvesGateway(e, nat, ruleSpec)) {
            gatewayId = e.gwId();
            GatewaySpec g = at(policy == null ? null : policy.gateways(), e.gwId());
            gateway = g == null ? null : g.name();
        }
        return new FlowEvent(seq, time, e.type(), e.connId(), e.orig(), nat, ruleId, rule, gatewayId, gateway,
                e.type() == EventType.DROP ? e.reason() : null);
    }

    /**
     * The kernel fills gw_id from the rule, so it means something only where a gateway took part:
     * a redirect, a closed redirected flow, and a redirect rule's flow that bypassed its gateway
     * (fail-open) or was refused on the gateway's account (down, pool or table full). A redirect
     * rule that matched a flow without ports is a policy drop, and its gw_id is 0.
     */
    private static boolean involvesGateway(Event e, Tuple nat, RuleSpec rule) {
        if (e.type() == EventType.REDIRECT || nat != null) {
            return true;
        }
        if (rule == null || !isRedirect(rule)) {
            return false;
        }
        return e.type() != EventType.DROP || e.reason() != Stat.DROP_POLICY;
    }

    private static boolean isRedirect(RuleSpec rule) {
        try {
            return rule.action() != null && Action.parse(rule.action()) == Action.REDIRECT;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static <T> T at(List<T> list, int id) {
        return list != null && id >= 0 && id < list.size() ? list.get(id) : null;
    }

    /**
     * Whether a reader's filter takes this event: the API's list and its followers filter alike.
     *
     * @param type   only events of this type; null: any
     * @param connId only events of this connection; null: any
     */
    public boolean matches(EventType type, Long connId) {
        return (type == null || this.type == type) && (connId == null || this.connId == connId);
    }

    /** {@code new}, {@code redirect}, {@code closed} or {@code drop}. */
    public String typeName() {
        return typeName(type);
    }

    public static String typeName(EventType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    /** The drop reason without its prefix, e.g. {@code policy}, {@code gw_down}; null unless a drop. */
    public String reasonName() {
        if (reason == null) {
            return null;
        }
        String name = reason.displayName();
        return name.startsWith("drop_") ? name.substring("drop_".length()) : name;
    }
}
