package io.lparchiver.app;

import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The demo's config with the target switched to a Graph simulator, for CLI tests. */
final class GraphTestConfig {

  private GraphTestConfig() {}

  /** A tenant with a user for every agent of {@code data} and for the demo's fallback mailbox. */
  static GraphSimulator.Builder tenantFor(io.lparchiver.sim.liveperson.SeededDataSet data) {
    GraphSimulator.Builder tenant =
        GraphSimulator.builder()
            .user(io.lparchiver.sim.graph.GraphUser.of("compliance-archive@brand.example"));
    data.agents().stream()
        .map(io.lparchiver.sim.liveperson.SimAgent::email)
        .distinct()
        .forEach(e -> tenant.user(io.lparchiver.sim.graph.GraphUser.of(e)));
    return tenant;
  }

  /** {@code extraGraphKeys}: more {@code target.graph} lines, e.g. " maxAttachmentSize: 10\n". */
  static String yaml(
      LivePersonSimulator sim, GraphSimulator graph, int backfillDays, String extraGraphKeys) {
    String yaml =
        TestConfigs.demo(
            sim,
            Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(backfillDays, ChronoUnit.DAYS));
    int from = yaml.indexOf("target:\n") + "target:\n".length();
    int to = yaml.indexOf("state:\n");
    return yaml.substring(0, from)
        + "  type: graph\n  graph:\n    tenantId: "
        + graph.tenantId()
        + "\n    clientId: "
        + graph.clientId()
        + "\n    clientSecret: "
        + GraphSimulator.DEMO_CLIENT_SECRET
        + "\n    authority: "
        + graph.authority()
        + "\n    baseUrl: "
        + graph.baseUrl()
        + "\n"
        + extraGraphKeys
        + yaml.substring(to);
  }
}
