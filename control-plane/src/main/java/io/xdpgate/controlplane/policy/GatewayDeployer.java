package io.xdpgate.controlplane.policy;

import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.TranslatedPolicy;
import java.util.List;

/**
 * Runs the gateways a policy names. The policy service asks it to check them before anything
 * is applied (so a bad gateway config rejects the document whole), then moves from the gateways
 * in force to the new ones as part of its transaction:
 *
 * <ol>
 * <li>{@link #prepare}: everything that can fail without touching what the kernel routes by (new
 *     gateways' veth pairs and runtimes started, but not yet in gw_tx, gw_xsks or gateways);</li>
 * <li>{@link Transition#beforeSwap}: the kernel writes that must precede the policy swap;</li>
 * <li>(the policy service swaps the policy generation);</li>
 * <li>{@link Transition#afterSwap}: the writes that must follow it;</li>
 * <li>(the policy service persists the document);</li>
 * <li>{@link Transition#complete}: what cannot be undone (old runtimes stopped, old veth pairs
 *     deleted, new configs handed to kept gateways), once the transaction is committed.</li>
 * </ol>
 *
 * A failure anywhere before {@code complete} makes the policy service run the undo log (every
 * kernel write of both swap steps, newest first) and then {@link Transition#abort}, which tears
 * down what {@code prepare} started: the old gateways never stopped, so they serve on.
 */
public interface GatewayDeployer {
    /**
     * What is wrong with the policy's gateways, with JSON paths; empty when they can run: each
     * gateway's protocol is one this deployer has a gateway for, its config one that gateway
     * accepts, and every rule redirecting to it uses a transport it takes.
     */
    List<Violation> check(TranslatedPolicy policy);

    /**
     * Prepares the move to {@code gateways}; on failure throws with nothing left behind. The
     * returned transition must end in {@link Transition#complete} or {@link Transition#abort}
     * (a deployer may hold a lock from here to there, e.g. to keep its supervisor out).
     */
    Transition prepare(List<GatewayAssignment> gateways);

    /** One move from the gateways in force to a new set; see {@link GatewayDeployer}. */
    interface Transition {
        /** Kernel writes before the policy swap, each recorded in {@code undo} once done. */
        void beforeSwap(UndoLog undo);

        /** Kernel writes after the policy swap, each recorded in {@code undo} once done. */
        void afterSwap(UndoLog undo);

        /** The transaction is committed: finish the move. Never throws (problems are logged). */
        void complete();

        /**
         * The transaction failed and its kernel writes were undone: tear down what
         * {@link GatewayDeployer#prepare} started. Never throws (problems are logged).
         */
        void abort();
    }
}
