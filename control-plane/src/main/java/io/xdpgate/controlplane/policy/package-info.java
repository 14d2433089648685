/**
 * The policy document: what users write, how it is checked, translated for the datapath and
 * kept on disk. Pure Java and Jackson; the daemon's wiring lives elsewhere.
 *
 * <pre>{@code
 * {
 *   "defaultAction": "drop",
 *   "gateways": [
 *     { "name": "web", "protocol": "http", "address4": "198.18.100.1", "ports": "40000-40999",
 *       "failMode": "closed", "config": { "allowMethods": ["GET", "HEAD"] } }
 *   ],
 *   "rules": [
 *     { "name": "no-telnet", "protocol": "tcp", "ports": "23", "action": "drop" },
 *     { "name": "web-in", "to": "198.18.2.0/24", "protocol": "tcp", "ports": "80",
 *       "action": "redirect", "gateway": "web" },
 *     { "name": "rest", "action": "pass" }
 *   ]
 * }
 * }</pre>
 *
 * <p>Rules are ordered, the first match wins, else {@code defaultAction}; a rule's id (in events
 * and connections) is its position, a gateway's id its position. {@code policy.schema.json}
 * (draft 2020-12) describes every field; {@code default-policy.json} is the lab's policy.
 *
 * <ul>
 * <li>{@link io.xdpgate.controlplane.policy.PolicyParser}: text to a valid document or
 *     {@link io.xdpgate.controlplane.policy.PolicyRejectedException} with every
 *     {@link io.xdpgate.controlplane.policy.Violation} (JSON pointer and reason) at once.</li>
 * <li>{@link io.xdpgate.controlplane.policy.PolicyValidator}: the checks on a document.</li>
 * <li>{@link io.xdpgate.controlplane.policy.PolicyTranslation}: a valid document into datapath
 *     rules and gateway ids, and a gateway into the kernel's {@code xg_gateway}.</li>
 * <li>{@link io.xdpgate.controlplane.policy.PolicyFiles}: crash-safe save, and load.</li>
 * </ul>
 */
package io.xdpgate.controlplane.policy;
