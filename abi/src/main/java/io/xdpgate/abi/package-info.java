/**
 * The Java mirror of {@code bpf/include/xdpgate_abi.h}: one record per struct with a
 * {@code LAYOUT} (field names, offsets, sizes as C lays them out) and a {@code CODEC} built on it,
 * one enum per C enum, and {@link io.xdpgate.abi.Abi} for the #define constants.
 * AbiLayoutTest compares all of it with the BTF of the compiled object, AbiConstantsTest with the
 * header, so a change on one side that the other does not follow fails the build.
 *
 * <p>Byte order: {@code __u*} fields are host order (little-endian), {@code __be*} fields network
 * order; the records hold the logical numbers (a port is 80 either way) and the codecs convert.
 * Unsigned C fields live in Java ints/longs of the same width, so {@code __u32} values from
 * 2^31 up read as negative ints.
 */
package io.xdpgate.abi;
