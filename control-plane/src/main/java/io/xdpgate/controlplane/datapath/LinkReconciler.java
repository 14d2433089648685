package io.xdpgate.controlplane.datapath;

import io.xdpgate.datapath.netlink.Link;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Makes the attachments follow the links: given the full list of links that exist now, attaches
 * to every one the patterns select and that is not attached yet, and detaches from every attached
 * one that is gone, was renamed out of its pattern, or was re-created under another ifindex. It
 * never works from events alone, so a lost event costs nothing but the wait for the next list.
 * A link that fails to attach is retried on later passes, at most {@code maxAttempts} times in
 * all, then left (logged) until it is re-created; the other links are unaffected. Used by one
 * thread; {@link #selected()} and the counters may be read from any.
 */
public final class LinkReconciler {
    private static final Logger LOG = Logger.getLogger(LinkReconciler.class.getName());

    /** An attached link, what selected it, and where the program runs on it. */
    public record Selected(Link link, PatternBinding binding, Attachment attachment) {
    }

    private final List<PatternBinding> patterns;
    private final Set<String> namedElsewhere;
    private final Predicate<String> daemonOwned;
    private final LinkAttacher attacher;
    private final int maxAttempts;
    private final Map<Integer, Selected> attached = new LinkedHashMap<>();
    private final Map<Link, Integer> failedAttempts = new HashMap<>();
    private volatile List<Selected> snapshot = List.of();
    private boolean detachFailed;
    private final AtomicLong attaches = new AtomicLong();
    private final AtomicLong detaches = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param namedElsewhere interfaces configured by exact name: attached at start, never by a pattern
     * @param daemonOwned    links the daemon makes itself (the gateways' veths): never selected
     */
    public LinkReconciler(List<PatternBinding> patterns, Set<String> namedElsewhere, Predicate<String> daemonOwned,
                          LinkAttacher attacher, int maxAttempts) {
        this.patterns = List.copyOf(patterns);
        this.namedElsewhere = Set.copyOf(namedElsewhere);
        this.daemonOwned = daemonOwned;
        this.attacher = attacher;
        this.maxAttempts = maxAttempts;
    }

    /** The first pattern that selects {@code name}, or null. */
    PatternBinding selection(String name) {
        if (daemonOwned.test(name) || namedElsewhere.contains(name)) {
            return null;
        }
        for (PatternBinding p : patterns) {
            if (p.pattern().matches(name)) {
                return p;
            }
        }
        return null;
    }

    /** One pass over {@code links}, every link that exists now. */
    public void reconcile(List<Link> links) {
        Map<Integer, Link> present = new HashMap<>();
        for (Link l : links) {
            present.put(l.ifindex(), l);
        }
        detachFailed = false;
        for (Selected s : List.copyOf(attached.values())) {
            Link now = present.get(s.link().ifindex());
            if (now == null) {
                detach(s, true, "is gone");
            } else if (!now.name().equals(s.link().name())) {
                if (selection(now.name()) == s.binding()) {
                    attached.put(now.ifindex(), new Selected(now, s.binding(), attacher.renamed(s.attachment(), now.name())));
                    LOG.info(() -> "interface " + s.link().name() + " is now " + now.name() + ", still "
                            + s.binding().pattern() + ": stays attached");
                } else {
                    detach(s, false, "was renamed to " + now.name() + ", which " + s.binding().pattern()
                            + " does not select");
                }
            }
        }
        failedAttempts.keySet().removeIf(l -> !l.equals(present.get(l.ifindex())));
        for (Link l : links) {
            if (attached.containsKey(l.ifindex())) {
                continue;
            }
            PatternBinding b = selection(l.name());
            if (b != null) {
                attach(l, b);
            }
        }
        snapshot = List.copyOf(attached.values());
    }

    private void attach(Link l, PatternBinding b) {
        int attempt = failedAttempts.getOrDefault(l, 0) + 1;
        if (attempt > maxAttempts) {
            return;
        }
        try {
            Attachment a = attacher.attach(l, b);
            attached.put(l.ifindex(), new Selected(l, b, a));
            failedAttempts.remove(l);
            attaches.incrementAndGet();
            LOG.info(() -> "attached to " + l.name() + " (ifindex " + l.ifindex() + ", " + b.role() + ", pattern "
                    + b.pattern() + ", " + a.hook() + ")");
        } catch (RuntimeException e) {
            failedAttempts.put(l, attempt);
            failures.incrementAndGet();
            LOG.warning(() -> "cannot attach to " + l.name() + " (ifindex " + l.ifindex() + ", pattern " + b.pattern()
                    + "), attempt " + attempt + " of " + maxAttempts + ": " + e.getMessage()
                    + (attempt == maxAttempts ? "; giving up until it is re-created: it is not filtered" : ""));
        }
    }

    private void detach(Selected s, boolean gone, String why) {
        try {
            attacher.detach(s.attachment(), gone);
            attached.remove(s.link().ifindex());
            detaches.incrementAndGet();
            LOG.info(() -> "detached from " + s.link().name() + " (ifindex " + s.link().ifindex() + "): it " + why);
        } catch (RuntimeException e) {
            // kept: the next pass tries again, an interface is never forgotten while attached
            failures.incrementAndGet();
            detachFailed = true;
            LOG.warning(() -> "cannot detach from " + s.link().name() + " (ifindex " + s.link().ifindex() + "), which "
                    + why + ": " + e.getMessage() + "; trying again on the next pass");
        }
    }

    /** True when a link is waiting for another attach attempt, or a detach failed: pass again soon. */
    public boolean hasRetries() {
        return failedAttempts.values().stream().anyMatch(n -> n < maxAttempts)
                || detachFailed;
    }

    /** The links attached by pattern, in the order they were attached. */
    public List<Selected> selected() {
        return snapshot;
    }

    public long attaches() {
        return attaches.get();
    }

    public long detaches() {
        return detaches.get();
    }

    /** Attach and detach attempts that failed. */
    public long failures() {
        return failures.get();
    }
}
