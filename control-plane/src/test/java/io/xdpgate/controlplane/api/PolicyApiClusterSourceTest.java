package io.xdpgate.controlplane.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.xdpgate.controlplane.policy.Examples;
import io.xdpgate.controlplane.policy.FakeKernel;
import io.xdpgate.controlplane.policy.MemoryStorage;
import io.xdpgate.controlplane.policy.NoGateways;
import io.xdpgate.controlplane.policy.PolicyService;
import io.xdpgate.controlplane.policy.PolicySource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** With the cluster as the policy's source, PUT is a 409 problem and changes nothing; GET still reads. */
class PolicyApiClusterSourceTest {
    private static final PolicySource CLUSTER = new PolicySource() {
        public String name() { return "kubernetes"; }
        public boolean acceptsApiWrites() { return false; }
        public Map<String, Object> describe() { return Map.of("source", "kubernetes"); }
    };

    @Test
    void putIsRefusedWith409AndThePolicyInForceStays() throws Exception {
        PolicyService service = new PolicyService(new FakeKernel(), new MemoryStorage(), NoGateways.DEPLOYER);
        service.apply(Examples.rules("{\"name\":\"ssh\",\"protocol\":\"tcp\",\"ports\":\"22\",\"action\":\"pass\"}"));
        MockMvc mvc = MockMvcBuilders.standaloneSetup(new PolicyController(service, CLUSTER))
                .setControllerAdvice(new ApiErrors()).build();
        mvc.perform(put("/api/v1/policy").contentType(MediaType.APPLICATION_JSON)
                        .content(Examples.rules("{\"name\":\"web\",\"protocol\":\"tcp\",\"ports\":\"80\",\"action\":\"pass\"}")))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.policySource").value("kubernetes"))
                .andExpect(jsonPath("$.title").value("Policy is managed by the cluster; the policy in force is unchanged"));
        mvc.perform(get("/api/v1/policy")).andExpect(status().isOk()).andExpect(jsonPath("$.rules[0].name").value("ssh"));
    }
}
