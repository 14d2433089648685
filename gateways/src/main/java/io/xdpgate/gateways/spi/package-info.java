/**
 * The contract between the gateway runtime and a protocol gateway: the runtime turns packets
 * into ordered bytes and verdicts into packets; a protocol is a {@link
 * io.xdpgate.gateways.spi.GatewayFactory} and the {@link io.xdpgate.gateways.spi.GatewaySession}s
 * it makes.
 */
package io.xdpgate.gateways.spi;
