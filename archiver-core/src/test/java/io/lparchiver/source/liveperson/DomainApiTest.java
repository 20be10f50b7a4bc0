package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.source.SourceException;
import io.lparchiver.source.liveperson.StubServer.Answer;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DomainApiTest {

  private static final AllowedHosts LOOPBACK = AllowedHosts.of("127.0.0.1");
  private final StubServer server = new StubServer();
  private final LivePersonHttp http = LivePersonHttpTest.http(LivePersonHttpTest.FAST, d -> {});

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void looksUpEachServiceOnceAndKeepsTheLoopbackScheme() {
    server.answer(
        Answer.of(
            200, "{\"service\":\"msgHist\",\"account\":\"123\",\"baseURI\":\"127.0.0.1:9\"}"));
    DomainApi domain = new DomainApi(server.uri(""), "123", http, LOOPBACK);

    assertThat(domain.baseUri("msgHist")).isEqualTo(URI.create("http://127.0.0.1:9"));
    assertThat(domain.baseUri("msgHist")).isEqualTo(URI.create("http://127.0.0.1:9"));
    assertThat(server.seen()).hasSize(1);
    assertThat(server.seen().get(0).uri().toString())
        .isEqualTo("/api/account/123/service/msgHist/baseURI.json?version=1.0");
  }

  @Test
  void realHostsAreAlwaysHttpsEvenFromAPlainHttpLookup() {
    // a loopback domainApi keeps its scheme; anything else becomes https, tested via isLoopback
    assertThat(DomainApi.isLoopback("127.0.0.1")).isTrue();
    assertThat(DomainApi.isLoopback("127.8.9.10")).isTrue();
    assertThat(DomainApi.isLoopback("localhost")).isTrue();
    assertThat(DomainApi.isLoopback("[::1]")).isTrue();
    assertThat(DomainApi.isLoopback("api.liveperson.net")).isFalse();
    assertThat(DomainApi.isLoopback("10.0.0.1")).isFalse();
    assertThat(DomainApi.isLoopback("127.0.0.1.example.com")).isFalse();
  }

  @Test
  void anUnusableBaseUriIsNotFound() {
    server.answer(Answer.of(200, "{\"baseURI\":\"evil.com/path?x\"}"));
    DomainApi domain = new DomainApi(server.uri(""), "123", http, LOOPBACK);

    assertThatThrownBy(() -> domain.baseUri("msgHist"))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("msgHist")
        .hasMessageContaining("source.liveperson.account");
  }

  @Test
  void rejectsAnAccountThatIsNotAnId() {
    assertThatThrownBy(() -> new DomainApi(server.uri(""), "12/../x", http, LOOPBACK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("source.liveperson.account");
  }

  @Test
  void aServiceHostOutsideTheAllowedHostsIsRefusedBeforeAnySignedCallGoesThere() {
    server.answer(Answer.of(200, "{\"baseURI\":\"attacker.example:443\"}"));
    DomainApi domain = new DomainApi(server.uri(""), "123", http, AllowedHosts.LIVEPERSON);

    assertThatThrownBy(() -> domain.baseUri("msgHist"))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("'attacker.example'")
        .hasMessageContaining("source.liveperson.allowedHosts")
        .hasMessageContaining("msgHist");
    assertThat(server.seen()).hasSize(1); // only the discovery call itself
  }

  @Test
  void allowedHostsMatchTheEntryAndItsSubdomainsOnly() {
    AllowedHosts lp = AllowedHosts.LIVEPERSON;
    assertThat(lp.permits("va.msghist.liveperson.net")).isTrue();
    assertThat(lp.permits("LivePerson.NET")).isTrue();
    assertThat(lp.permits("va.msghist.liveperson.net.")).isTrue();
    assertThat(lp.permits("evilliveperson.net")).isFalse();
    assertThat(lp.permits("liveperson.net.evil.example")).isFalse();
    assertThat(lp.permits("127.0.0.1")).isFalse();
    assertThat(AllowedHosts.of("127.0.0.1", "localhost").permits("127.0.0.1")).isTrue();
    assertThatThrownBy(() -> AllowedHosts.of("liveperson.net/x"))
        .hasMessageContaining("source.liveperson.allowedHosts");
  }
}
