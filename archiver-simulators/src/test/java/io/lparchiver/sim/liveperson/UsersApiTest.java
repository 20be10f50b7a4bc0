package io.lparchiver.sim.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UsersApiTest {
  private SeededDataSet data;
  private LivePersonSimulator sim;
  private SimClient client;

  @BeforeEach
  void start() {
    data = Fixtures.dataSet(3);
    sim = Fixtures.started(data, Faults.none());
    client = new SimClient(sim);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void versionIsRequired() throws Exception {
    SimClient.Reply missing = client.get(Fixtures.USERS);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().at("/error/message").asText()).contains("v=4.0");
    assertThat(client.get(Fixtures.USERS + "?v=2.0").status()).isEqualTo(400);
  }

  @Test
  void deletedUsersOnlyOnRequest() throws Exception {
    SimClient.Reply active = client.get(Fixtures.USERS + "?v=4.0");
    assertThat(active.status()).isEqualTo(200);
    assertThat(active.json().isArray()).isTrue();
    assertThat(active.json()).hasSize(4);
    active.json().forEach(u -> assertThat(u.get("deleted").asBoolean()).isFalse());

    SimClient.Reply all = client.get(Fixtures.USERS + "?v=4.0&include_deleted=true");
    assertThat(all.json()).hasSize(5);
    List<String> emails = new ArrayList<>();
    for (JsonNode u : all.json()) {
      assertThat(u.get("id").isTextual()).isTrue();
      assertThat(u.get("fullName").asText()).isEmpty();
      assertThat(u.get("pid").asText()).hasSize(36);
      emails.add(u.get("email").asText());
    }
    assertThat(emails).doesNotHaveDuplicates().allMatch(e -> e.endsWith("@brand.example"));
    assertThat(all.json()).anySatisfy(u -> assertThat(u.get("deleted").asBoolean()).isTrue());
    assertThat(all.json()).anySatisfy(u -> assertThat(u.get("userTypeId").asInt()).isEqualTo(2));
    SimAgent unlisted =
        data.agents().stream().filter(a -> !a.inUsersApi()).findFirst().orElseThrow();
    assertThat(all.json())
        .noneSatisfy(u -> assertThat(u.get("id").asText()).isEqualTo(unlisted.id()));
  }

  @Test
  void revisionHeadersAndNotModified() throws Exception {
    SimClient.Reply first = client.get(Fixtures.USERS + "?v=4.0");
    String revision = first.raw().headers().firstValue("ac-revision").orElseThrow();
    assertThat(first.raw().headers().firstValue("ETag")).contains(revision);

    SimClient.Reply same = client.get(Fixtures.USERS + "?v=4.0", Map.of("If-Match", revision));
    assertThat(same.status()).isEqualTo(304);
    assertThat(same.body()).isEmpty();
    assertThat(client.get(Fixtures.USERS + "?v=4.0", Map.of("If-Match", "-1")).status())
        .isEqualTo(200);

    data.bumpUsersRevision();
    assertThat(client.get(Fixtures.USERS + "?v=4.0", Map.of("If-Match", revision)).status())
        .isEqualTo(200);
  }

  @Test
  void singleUser() throws Exception {
    SimAgent ann = data.agents().get(0);
    SimClient.Reply one = client.get(Fixtures.USERS + "/" + ann.id() + "?v=4.0");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().get("email").asText()).isEqualTo("ann.lee@brand.example");
    assertThat(client.get(Fixtures.USERS + "/1?v=4.0").status()).isEqualTo(404);
  }

  @Test
  void unsignedIs401() throws Exception {
    SimClient.Reply r = client.getUnsigned(Fixtures.USERS + "?v=4.0");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().at("/error/code").asInt()).isEqualTo(401);
  }
}
