package io.xdpgate.controlplane.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Serves the API on a unix-domain socket (the JDK's, through Tomcat's NIO connector) instead of a
 * TCP port: only local users with access to the socket (mode 0660) reach it. A TCP listener is
 * added only when configured, and only with a token (see {@link TokenFilter}); a health listener
 * likewise, serving health and metrics only (see {@link HealthPortFilter}).
 */
@Component
class UnixSocketServer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    private final XdpgateProperties props;

    UnixSocketServer(XdpgateProperties props) {
        this.props = props;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        var socket = props.api().socket();
        try {
            Files.createDirectories(socket.getParent());
            // Tomcat refuses a socket directory others may read: the socket's mode would be moot
            Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-x---"));
            Files.deleteIfExists(socket); // a stale socket of a killed daemon
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the API socket " + socket, e);
        }
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("unixDomainSocketPath", socket.toString());
            connector.setProperty("unixDomainSocketPathPermissions", "rw-rw----");
        });
        if (props.api().tcpPort() > 0) {
            // a second listener for remote clients; TokenFilter guards it
            Connector tcp = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
            tcp.setPort(props.api().tcpPort());
            tcp.setProperty("address", props.api().tcpAddress());
            factory.addAdditionalConnectors(tcp);
        }
        if (props.api().healthPort() > 0) {
            Connector health = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
            health.setPort(props.api().healthPort());
            health.setProperty("address", props.api().healthAddress());
            factory.addAdditionalConnectors(health);
        }
    }
}
