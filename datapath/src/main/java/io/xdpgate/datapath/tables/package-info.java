/**
 * The packet processor's maps as typed Java objects: one handle per map of {@code xdpgate.bpf.o}
 * ({@link io.xdpgate.datapath.tables.XdpgateTables}) and the operations that need several of them
 * at once, such as writing a compiled policy into the inactive generation and flipping it
 * ({@link io.xdpgate.datapath.tables.PolicyTables}). Knows the ABI, not JNA.
 */
package io.xdpgate.datapath.tables;
