package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared test data: a fixed clock and a demo-shaped data set. */
final class Fixtures {
  static final Instant END = Instant.parse("2025-06-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(END, ZoneOffset.UTC);
  static final String ACCOUNT = "12345678";
  static final String SEARCH =
      "/messaging_history/api/account/" + ACCOUNT + "/conversations/search";
  static final String BY_ID =
      "/messaging_history/api/account/" + ACCOUNT + "/conversations/conversation/search";
  static final String USERS = "/api/account/" + ACCOUNT + "/configuration/le-users/users";

  private Fixtures() {}

  static SeededDataSet dataSet(long seed) {
    return SeededDataSet.generate(new DataSetSpec(200, 5, seed, END, 60));
  }

  static LivePersonSimulator started(SeededDataSet data, Faults faults) {
    return LivePersonSimulator.builder().dataSet(data).faults(faults).clock(CLOCK).build().start();
  }

  /** The host:port the simulator's Domain API gives for {@code service}, asked over HTTP. */
  static String serviceHost(HttpClient http, LivePersonSimulator sim, String service)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        sim.domainApiUri()
                            + "/api/account/"
                            + ACCOUNT
                            + "/service/"
                            + service
                            + "/baseURI.json?version=1.0"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body()).path("baseURI").asText();
  }

  /** A start window covering the whole data set (60 days plus margin, under 92 days). */
  static String allWindow() {
    return window(END.minusSeconds(61L * 86_400).toEpochMilli(), END.toEpochMilli(), "");
  }

  static String window(long from, long to, String extraFields) {
    return "{\"start\":{\"from\":" + from + ",\"to\":" + to + "}" + extraFields + "}";
  }

  static String searchQuery(int offset, int limit) {
    return SEARCH
        + "?offset="
        + offset
        + "&limit="
        + limit
        + "&sort=start:asc&v=2&source=archiverTest";
  }
}
