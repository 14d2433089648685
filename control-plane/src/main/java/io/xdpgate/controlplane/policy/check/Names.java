package io.xdpgate.controlplane.policy.check;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The names of one kind of thing in a document (rules, or gateways): present, well formed and
 * unique. Rules and gateways are separate namespaces. The syntax is a DNS label's, so a name
 * fits in metric labels, log fields and URLs without quoting.
 */
public final class Names {
    /** Also in policy.schema.json ($defs/name/pattern); a test keeps the two equal. */
    public static final String SYNTAX = "[a-z0-9][a-z0-9-]{0,62}";
    private static final Pattern PATTERN = Pattern.compile(SYNTAX);

    private final String kind;
    private final Map<String, String> firstPath = new HashMap<>();

    /** @param kind "rule" or "gateway", for the reasons */
    Names(String kind) {
        this.kind = kind;
    }

    /** Checks the name at {@code path} (the name field itself); true when it is good and new. */
    boolean check(String path, String name, Violations out) {
        if (name == null) {
            out.add(path, "missing: every " + kind + " needs a name (lower-case letters, digits and '-')");
            return false;
        }
        if (!PATTERN.matcher(name).matches()) {
            out.add(path, "\"" + name + "\" is not a valid name: use 1 to 63 lower-case letters, digits and '-',"
                    + " starting with a letter or digit");
            return false;
        }
        String earlier = firstPath.putIfAbsent(name, path);
        if (earlier != null) {
            out.add(path, "\"" + name + "\" is already the name of the " + kind + " at " + parentOf(earlier)
                    + "; names must be unique");
            return false;
        }
        return true;
    }

    private static String parentOf(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }
}
