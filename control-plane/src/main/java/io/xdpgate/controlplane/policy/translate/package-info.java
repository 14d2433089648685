/**
 * The translate stage: a valid document in the datapath's terms, rules for the compiler and
 * gateways with the ids the kernel knows them by, and a gateway as the kernel's
 * {@code xg_gateway}. {@link io.xdpgate.controlplane.policy.translate.PolicyTranslation#translate}
 * runs the check stage, which builds the translation, and rejects a document with violations.
 */
package io.xdpgate.controlplane.policy.translate;
