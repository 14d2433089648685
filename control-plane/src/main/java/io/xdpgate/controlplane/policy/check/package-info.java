/**
 * The check stage: everything wrong with a document, each as a
 * {@link io.xdpgate.controlplane.policy.check.Violation} (JSON pointer and reason), all of them at
 * once in a {@link io.xdpgate.controlplane.policy.check.PolicyRejectedException}. The datapath's
 * parsers judge the values; this stage adds what only the document knows: names, gateways, pools,
 * limits. {@link io.xdpgate.controlplane.policy.check.DocumentCheck} translates as it checks
 * (into the translate stage's records), so that what is validated is exactly what is translated.
 */
package io.xdpgate.controlplane.policy.check;
