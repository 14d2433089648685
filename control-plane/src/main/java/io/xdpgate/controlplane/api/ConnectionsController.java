package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.connections.ConnectionTable;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The connection table: list, and remove one (its NAT slot goes with it). */
@RestController
@RequestMapping("/api/v1/connections")
class ConnectionsController {
    private final ConnectionTable table;

    ConnectionsController(ConnectionTable table) {
        this.table = table;
    }

    @GetMapping
    List<ConnectionView> list() {
        long now = System.nanoTime();
        return table.list().stream().map(c -> ConnectionView.of(c, now)).toList();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<?> remove(@PathVariable long id) {
        var found = table.find(id);
        if (found.isEmpty()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no connection with id " + id);
            problem.setTitle("Connection not found");
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
        }
        table.remove(found.get());
        return ResponseEntity.noContent().build();
    }
}
