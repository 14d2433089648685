/**
 * The model stage: the policy document as users write it, records that keep every value as the
 * text it was written as (the check stage judges them, and a document is persisted and served
 * back as written), and the typed values a gateway's fields parse into.
 */
package io.xdpgate.controlplane.policy.model;
