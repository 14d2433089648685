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
 * <p>The pipeline, a sub-package per stage, with the service on top:
 * <ol>
 * <li>{@code model}: the document records as written ({@link
 *     io.xdpgate.controlplane.policy.model.PolicyDocument}) and the values their fields parse into.</li>
 * <li>{@code json}: {@link io.xdpgate.controlplane.policy.json.PolicyParser}, text to a valid
 *     document or {@link io.xdpgate.controlplane.policy.check.PolicyRejectedException} with every
 *     {@link io.xdpgate.controlplane.policy.check.Violation} (JSON pointer and reason) at once; and
 *     back to text.</li>
 * <li>{@code check}: {@link io.xdpgate.controlplane.policy.check.DocumentCheck}, everything wrong
 *     with a document, translating it in the same pass.</li>
 * <li>{@code translate}: {@link io.xdpgate.controlplane.policy.translate.PolicyTranslation}, a valid
 *     document into datapath rules and gateway ids, and a gateway into the kernel's
 *     {@code xg_gateway}.</li>
 * <li>{@code store}: {@link io.xdpgate.controlplane.policy.store.PolicyStore}, the policy in force
 *     on disk: crash-safe save, and load.</li>
 * <li>here: {@link io.xdpgate.controlplane.policy.PolicyService}, which applies a document whole or
 *     not at all, as one transaction (check, compile, prepare its gateways through a {@link
 *     io.xdpgate.controlplane.policy.GatewayDeployer}, stage the inactive generation, swap, persist;
 *     any failure undone through an {@link io.xdpgate.controlplane.policy.UndoLog}), and {@link
 *     io.xdpgate.controlplane.policy.DefaultPolicy}, the lab's policy.</li>
 * </ol>
 */
package io.xdpgate.controlplane.policy;
