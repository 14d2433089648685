/**
 * The JSON stage: text to the model and back. Binding reports every syntax error, unknown field
 * and value of the wrong JSON type as a violation instead of stopping at the first, and
 * {@link io.xdpgate.controlplane.policy.json.PolicyParser} adds what the check stage finds, so
 * one answer lists everything to fix.
 */
package io.xdpgate.controlplane.policy.json;
