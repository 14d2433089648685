package io.xdpgate.bench;

/**
 * One measured path: the program to run, the frame to feed it, and what to set up in the maps
 * first. {@code harnessed} marks runs through bench_pipeline, whose save/restore of the frame is
 * measured on its own (bench_harness) and can be set against it.
 */
record Scenario(String name, String program, byte[] frame, Runnable setup, boolean harnessed) {
}
