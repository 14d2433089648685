package io.xdpgate.datapath.policy;

/**
 * How many entries one generation of a compiled policy puts into each kernel
 * map, for checking against the maps' capacity (which both generations share
 * for the LPM tries).
 */
public record PolicyEntryCounts(int polSrc, int polDst, int polPort, int polRules) {
}
