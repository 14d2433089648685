package io.xdpgate.controlplane.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The kernel writes of a policy transaction, each with what undoes it. A step is recorded once
 * its write succeeded (a single map update either happens or not), so undoing runs exactly the
 * steps that changed something, newest first.
 */
public final class UndoLog {
    private static final Logger LOG = Logger.getLogger(UndoLog.class.getName());

    private record Step(String what, Runnable undo) {
    }

    private final Deque<Step> steps = new ArrayDeque<>();

    /** @param what names the write, for the log should undoing it fail */
    public void record(String what, Runnable undo) {
        steps.push(new Step(what, undo));
    }

    public int size() {
        return steps.size();
    }

    /**
     * Runs every step's undo, newest first, carrying on past failures; returns them (each logged).
     * The log is empty afterwards.
     */
    public List<RuntimeException> undo() {
        List<RuntimeException> failures = new ArrayList<>();
        while (!steps.isEmpty()) {
            Step s = steps.pop();
            try {
                s.undo().run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "cannot undo " + s.what() + "; the kernel keeps the new value", e);
                failures.add(e);
            }
        }
        return failures;
    }
}
