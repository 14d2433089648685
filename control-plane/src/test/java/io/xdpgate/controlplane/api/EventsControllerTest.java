package io.xdpgate.controlplane.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.xdpgate.controlplane.events.EventLog;
import io.xdpgate.controlplane.events.FlowLog;
import io.xdpgate.controlplane.events.Followers;
import io.xdpgate.controlplane.events.RecentEvents;
import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Event;
import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import tools.jackson.databind.json.JsonMapper;

/** GET /api/v1/events without a kernel: the JSON shape, the filters, and problem+json for bad parameters. */
class EventsControllerTest {
    private static final long MONO = 10_000_000_000L;
    private static final PolicyDocument POLICY = new PolicyDocument("drop",
            List.of(GatewaySpec.of("http", "http", "198.18.255.1", null, "40000-40999")),
            List.of(new RuleSpec("web", null, null, "tcp", "80", null, "redirect", "http"),
                    new RuleSpec("ssh", null, null, "tcp", "22", null, "pass", null)));

    private MockMvc mvc;
    private Followers followers;

    private static Tuple tuple(String src, int sport, String dst, int dport) throws Exception {
        return Tuple.of(InetAddress.getByName(src), sport, InetAddress.getByName(dst), dport, 6);
    }

    @BeforeEach
    void events() throws Exception {
        EventLog log = new EventLog(new RecentEvents(16), new FlowLog(100, () -> MONO), () -> POLICY,
                Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC), () -> MONO);
        Tuple web = tuple("198.18.1.2", 40312, "198.18.2.2", 80);
        Tuple ssh = tuple("2001:db8:1::2", 40313, "2001:db8:2::2", 22);
        log.accept(new Event(MONO - 250_000_000L, 11, web, tuple("198.18.1.2", 40312, "198.18.255.1", 40000), 0, 0,
                EventType.REDIRECT, null));
        log.accept(new Event(MONO, 12, ssh, Tuple.ZERO, 1, 0, EventType.NEW, null));
        log.accept(new Event(MONO, 12, ssh, Tuple.ZERO, 1, 0, EventType.CLOSED, null));
        log.accept(new Event(MONO, 0, tuple("198.18.1.2", 40314, "198.18.2.2", 23), Tuple.ZERO,
                (int) Abi.XG_RULE_DEFAULT, 0, EventType.DROP, Stat.DROP_DEFAULT));
        followers = new Followers(log, 1, 16);
        mvc = MockMvcBuilders.standaloneSetup(new EventsController(log, followers, Duration.ofSeconds(15),
                JsonMapper.builder().build())).build();
    }

    @Test
    void everyEventNewestLastWithTuplesAndNames() throws Exception {
        mvc.perform(get("/api/v1/events")).andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(4))
                .andExpect(jsonPath("$[0].seq").value(1))
                .andExpect(jsonPath("$[0].time").value("2025-06-01T11:59:59.750Z"))
                .andExpect(jsonPath("$[0].type").value("redirect"))
                .andExpect(jsonPath("$[0].conn").value(11))
                .andExpect(jsonPath("$[0].original.text").value("198.18.1.2:40312 -> 198.18.2.2:80 tcp"))
                .andExpect(jsonPath("$[0].original.dstPort").value(80))
                .andExpect(jsonPath("$[0].nat.dst").value("198.18.255.1"))
                .andExpect(jsonPath("$[0].nat.dstPort").value(40000))
                .andExpect(jsonPath("$[0].rule").value("web"))
                .andExpect(jsonPath("$[0].ruleId").value(0))
                .andExpect(jsonPath("$[0].gateway").value("http"))
                .andExpect(jsonPath("$[0].gatewayId").value(0))
                .andExpect(jsonPath("$[0].reason").doesNotExist())
                .andExpect(jsonPath("$[1].type").value("new"))
                .andExpect(jsonPath("$[1].original.src").value("2001:db8:1::2"))
                .andExpect(jsonPath("$[1].nat").doesNotExist())
                .andExpect(jsonPath("$[1].rule").value("ssh"))
                .andExpect(jsonPath("$[1].gateway").doesNotExist())
                .andExpect(jsonPath("$[3].type").value("drop"))
                .andExpect(jsonPath("$[3].conn").doesNotExist())
                .andExpect(jsonPath("$[3].rule").value("default"))
                .andExpect(jsonPath("$[3].ruleId").doesNotExist())
                .andExpect(jsonPath("$[3].reason").value("default"));
    }

    @Test
    void filtersAndLimit() throws Exception {
        mvc.perform(get("/api/v1/events").param("type", "redirect")).andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1)).andExpect(jsonPath("$[0].seq").value(1));
        mvc.perform(get("/api/v1/events").param("conn", "12")).andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[0].type").value("new")).andExpect(jsonPath("$[1].type").value("closed"));
        mvc.perform(get("/api/v1/events").param("conn", "12").param("type", "CLOSED"))
                .andExpect(jsonPath("$.length()").value(1)).andExpect(jsonPath("$[0].seq").value(3));
        mvc.perform(get("/api/v1/events").param("limit", "2"))
                .andExpect(jsonPath("$.length()").value(2)).andExpect(jsonPath("$[0].seq").value(3))
                .andExpect(jsonPath("$[1].seq").value(4));
        mvc.perform(get("/api/v1/events").param("conn", "99")).andExpect(content().json("[]"));
    }

    @Test
    void badParametersAreProblems() throws Exception {
        mvc.perform(get("/api/v1/events").param("limit", "0")).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.parameter").value("limit"))
                .andExpect(jsonPath("$.detail").value("limit=0: must be a whole number of at least 1"));
        mvc.perform(get("/api/v1/events").param("limit", "ten")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.parameter").value("limit"));
        mvc.perform(get("/api/v1/events").param("type", "accept")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("type=accept: must be one of new, redirect, closed, drop"));
        mvc.perform(get("/api/v1/events").param("conn", "-1")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Bad parameter"))
                .andExpect(jsonPath("$.parameter").value("conn"));
    }

    /** Checked before anything streams: a 400 naming the parameter, and no follower is left behind. */
    @Test
    void badFollowParametersAreProblemsBeforeTheStream() throws Exception {
        mvc.perform(get("/api/v1/events").param("follow", "true").param("type", "accept"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.parameter").value("type"))
                .andExpect(jsonPath("$.detail").value("type=accept: must be one of new, redirect, closed, drop"));
        mvc.perform(get("/api/v1/events").param("follow", "true").param("limit", "-1"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("limit"));
        mvc.perform(get("/api/v1/events").param("follow", "true").param("after", "x"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("after"));
        mvc.perform(get("/api/v1/events").param("follow", "true").header("Last-Event-ID", "-3"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("Last-Event-ID"));
        mvc.perform(get("/api/v1/events").param("follow", "yes"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("follow"));
        org.junit.jupiter.api.Assertions.assertEquals(0, followers.count());
    }

    @Test
    void beyondTheLimitOfFollowersIs429NamingIt() throws Exception {
        followers.follow(null, null);
        mvc.perform(get("/api/v1/events").param("follow", "true")).andExpect(status().isTooManyRequests())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.limit").value(1))
                .andExpect(jsonPath("$.setting").value("xdpgate.events.max-followers"))
                .andExpect(jsonPath("$.detail").value("at most 1 clients may follow the events at once; try again "
                        + "when one has stopped (xdpgate.events.max-followers=1)"));
    }
}
