package io.xdpgate.controlplane.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.xdpgate.controlplane.policy.Examples;
import io.xdpgate.controlplane.policy.FakeKernel;
import io.xdpgate.controlplane.policy.NoGateways;
import io.xdpgate.controlplane.policy.PolicyService;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.store.PolicyStorage;
import io.xdpgate.controlplane.policy.store.PolicyStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The policy API's answers when things go wrong, without a kernel: 413 for a body over the limit,
 * 4xx naming the problem for what the client did, 500 with a generic detail for what the node did
 * (a state file that cannot be written: rolled back, GET shows the old policy, the file keeps it),
 * and never exception text or stack details in a body.
 */
class PolicyApiErrorsTest {
    private static final String SSH = Examples.rules("{\"name\":\"ssh\",\"protocol\":\"tcp\",\"ports\":\"22\",\"action\":\"pass\"}");
    private static final String WEB = Examples.rules("{\"name\":\"web\",\"protocol\":\"tcp\",\"ports\":\"80\",\"action\":\"pass\"}");
    private static final long LIMIT = 1 << 20;
    /** What no error body may contain. */
    private static final List<String> LEAKS = List.of("Exception", "at io.", "at java.", "at org.", "No space left",
            "secret", "tools.jackson", "\tat ", "java.lang", "[Source:", "REDACTED", "io.xdpgate", "StreamReadFeature");

    @TempDir
    Path state;

    private MockMvc mvc;
    private PolicyStore file;
    private boolean failSaves;


    /** A controller that fails in a way nobody foresaw. */
    @RestController
    static class Broken {
        @GetMapping("/api/v1/broken")
        String broken() {
            throw new IllegalStateException("secret internal detail");
        }
    }

    @BeforeEach
    void api() {
        file = new PolicyStore(state);
        PolicyStorage storage = new PolicyStorage() {
            @Override
            public Optional<PolicyDocument> load() {
                return file.load();
            }

            @Override
            public void save(PolicyDocument doc) {
                if (failSaves) {
                    throw new UncheckedIOException("cannot write " + file.file(), new IOException("No space left on device"));
                }
                file.save(doc);
            }
        };
        PolicyService service = new PolicyService(new FakeKernel(), storage, NoGateways.DEPLOYER);
        service.apply(SSH);
        mvc = MockMvcBuilders.standaloneSetup(new PolicyController(service, io.xdpgate.controlplane.policy.PolicySource.REST), new Broken())
                .setControllerAdvice(new ApiErrors())
                .addFilters(new BodyLimitFilter(LIMIT))
                .build();
    }

    private static void noLeaks(MvcResult r) throws Exception {
        String body = r.getResponse().getContentAsString();
        for (String leak : LEAKS) {
            assertFalse(body.contains(leak), "\"" + leak + "\" in " + body);
        }
    }

    @Test
    void aBodyOverTheLimitIs413ProblemJson() throws Exception {
        String big = SSH.replace("]}", "]" + " ".repeat((int) LIMIT) + "}");
        MvcResult r = mvc.perform(put("/api/v1/policy").contentType(MediaType.APPLICATION_JSON).content(big))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("Connection", "close"))
                .andExpect(jsonPath("$.status").value(413))
                .andExpect(jsonPath("$.title").value("Request body too large"))
                .andExpect(jsonPath("$.limit").value(LIMIT))
                .andReturn();
        noLeaks(r);
        mvc.perform(post("/api/v1/policy:validate").contentType(MediaType.APPLICATION_JSON).content(big))
                .andExpect(status().isPayloadTooLarge());
        mvc.perform(get("/api/v1/policy")).andExpect(jsonPath("$.rules[0].name").value("ssh"));
    }

    @Test
    void aBodyAtTheLimitIsRead() throws Exception {
        String padded = WEB.replace("]}", "]" + " ".repeat((int) LIMIT - WEB.length()) + "}");
        assertEquals(LIMIT, padded.length());
        mvc.perform(put("/api/v1/policy").contentType(MediaType.APPLICATION_JSON).content(padded))
                .andExpect(status().isOk()).andExpect(jsonPath("$.applied").value(true));
    }

    @Test
    void aFailedPersistIs500WithAGenericDetailAndTheOldPolicyStays() throws Exception {
        String onDisk = Files.readString(file.file());
        failSaves = true;
        MvcResult r = mvc.perform(put("/api/v1/policy").contentType(MediaType.APPLICATION_JSON).content(WEB))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Policy not applied; the policy in force is unchanged"))
                .andExpect(jsonPath("$.detail", containsString("persisting the policy failed")))
                .andExpect(jsonPath("$.incident").isString())
                .andReturn();
        noLeaks(r);
        mvc.perform(get("/api/v1/policy")).andExpect(status().isOk())
                .andExpect(jsonPath("$.rules[0].name").value("ssh"));
        assertEquals(onDisk, Files.readString(file.file()), "the file keeps the old policy");

        failSaves = false;
        mvc.perform(put("/api/v1/policy").contentType(MediaType.APPLICATION_JSON).content(WEB)).andExpect(status().isOk());
        mvc.perform(get("/api/v1/policy")).andExpect(jsonPath("$.rules[0].name").value("web"));
    }

    @Test
    void whatTheClientGotWrongIs4xxNamingIt() throws Exception {
        noLeaks(mvc.perform(put("/api/v1/policy").contentType(MediaType.APPLICATION_JSON).content("{\"rules\": [}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].reason", containsString("not valid JSON")))
                .andReturn());
        noLeaks(mvc.perform(put("/api/v1/policy").contentType(MediaType.APPLICATION_JSON).content("{\"defaultAction\":\"maybe\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].path").value("/defaultAction"))
                .andReturn());
        noLeaks(mvc.perform(put("/api/v1/policy").contentType(MediaType.APPLICATION_JSON))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andReturn());
        noLeaks(mvc.perform(put("/api/v1/policy").contentType(MediaType.TEXT_PLAIN).content(WEB))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("text/plain")))
                .andReturn());
        noLeaks(mvc.perform(post("/api/v1/policy").contentType(MediaType.APPLICATION_JSON).content(WEB))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andReturn());
        noLeaks(mvc.perform(get("/api/v1/nothing-here"))
                .andExpect(status().isNotFound())
                .andReturn());
        mvc.perform(get("/api/v1/policy")).andExpect(jsonPath("$.rules[0].name").value("ssh"));
    }

    @Test
    void anUnexpectedFailureIs500WithoutItsText() throws Exception {
        noLeaks(mvc.perform(get("/api/v1/broken"))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Internal error"))
                .andExpect(jsonPath("$.detail", not(containsString("secret"))))
                .andExpect(jsonPath("$.incident").isString())
                .andReturn());
    }
}
