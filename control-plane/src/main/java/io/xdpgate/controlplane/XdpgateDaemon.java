package io.xdpgate.controlplane;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The node daemon: loads and attaches the packet processor, holds the policy, serves the API. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class XdpgateDaemon {
    public static void main(String[] args) {
        SpringApplication.run(XdpgateDaemon.class, args);
    }
}
