/**
 * The store stage: the policy in force on disk, saved so that a crash at any moment leaves the
 * previous document or the new one, never a torn file that would keep the daemon from starting.
 */
package io.xdpgate.controlplane.policy.store;
