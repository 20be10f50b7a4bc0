package io.lparchiver.sim.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DomainApiTest {
  private static LivePersonSimulator sim;
  private static SimClient client;

  @BeforeAll
  static void start() {
    sim = Fixtures.started(Fixtures.dataSet(7), Faults.none());
    client = new SimClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void everyServiceResolvesToTheSimulatorHostWithoutScheme() throws Exception {
    for (String service : DomainApi.SERVICES) {
      SimClient.Reply r =
          client.getUnsigned(
              "/api/account/12345678/service/" + service + "/baseURI.json?version=1.0");
      assertThat(r.status()).isEqualTo(200);
      JsonNode json = r.json();
      assertThat(json.get("service").asText()).isEqualTo(service);
      assertThat(json.get("account").asText()).isEqualTo("12345678");
      // the messaging websocket is a server of its own, as in production
      if (service.equals("asyncMessagingEnt")) {
        assertThat(json.get("baseURI").asText())
            .matches("127\\.0\\.0\\.1:[0-9]+")
            .isNotEqualTo("127.0.0.1:" + sim.port());
      } else {
        assertThat(json.get("baseURI").asText()).isEqualTo("127.0.0.1:" + sim.port());
      }
    }
    assertThat(sim.domainApiUri().toString()).isEqualTo("http://127.0.0.1:" + sim.port());
  }

  @Test
  void unknownServiceAndWrongAccountAre404WithJsonError() throws Exception {
    SimClient.Reply unknown =
        client.getUnsigned("/api/account/12345678/service/msghist/baseURI.json?version=1.0");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().at("/error/code").asInt()).isEqualTo(404);
    assertThat(unknown.json().at("/error/message").asText()).contains("msghist");

    SimClient.Reply wrongAccount =
        client.getUnsigned("/api/account/999/service/msgHist/baseURI.json?version=1.0");
    assertThat(wrongAccount.status()).isEqualTo(404);
    assertThat(wrongAccount.json().at("/error/message").asText()).contains("999");
  }

  @Test
  void allServicesAtOnce() throws Exception {
    SimClient.Reply r =
        client.getUnsigned("/api/account/12345678/service/baseURI.json?version=1.0");
    assertThat(r.status()).isEqualTo(200);
    JsonNode list = r.json().get("baseURIs");
    assertThat(list).hasSize(DomainApi.SERVICES.size());
    list.forEach(
        e -> {
          if (!e.get("service").asText().equals("asyncMessagingEnt")) {
            assertThat(e.get("baseURI").asText()).isEqualTo("127.0.0.1:" + sim.port());
          }
        });
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() throws Exception {
    assertThat(client.getUnsigned("/nope").status()).isEqualTo(404);
    assertThat(client.getUnsigned(Fixtures.SEARCH + "?source=x").status()).isEqualTo(405);
  }
}
