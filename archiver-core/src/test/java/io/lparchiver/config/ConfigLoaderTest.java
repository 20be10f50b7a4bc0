package io.lparchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Mailbox;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
  private static final Map<String, String> ENV =
      Map.of(
          "LP_CONSUMER_KEY", "key-1",
          "LP_CONSUMER_SECRET", "s3cr3t-value-for-consumer",
          "LP_TOKEN", "token-1",
          "LP_TOKEN_SECRET", "t0ken: secret # with yaml syntax");
  private final ConfigLoader loader = new ConfigLoader(ENV::get, CLOCK);
  private final Path base = Path.of("/etc/lp-archiver");

  @Test
  void loadsTheDocumentedExampleWithEnvironmentSubstitutionAndDefaults() {
    ArchiverConfig cfg = loader.parse(ConfigReference.EXAMPLE, base);

    ArchiverConfig.LivePerson lp = cfg.source().liveperson();
    assertThat(lp.account()).isEqualTo("12345678");
    assertThat(lp.domainApi()).isEqualTo(URI.create("https://api.liveperson.net"));
    assertThat(lp.auth().consumerKey()).isEqualTo("key-1");
    assertThat(lp.auth().consumerSecret().reveal()).isEqualTo("s3cr3t-value-for-consumer");
    assertThat(lp.auth().tokenSecret().reveal()).isEqualTo("t0ken: secret # with yaml syntax");
    assertThat(lp.channels()).containsExactly(Channel.MESSAGING, Channel.CHAT);
    assertThat(lp.backfillFrom()).isEqualTo(Instant.parse("2025-11-01T00:00:00Z"));
    assertThat(lp.sourceName()).isEqualTo("lp-archiver");
    assertThat(lp.updateLag()).isEqualTo(Duration.ofMinutes(30));
    assertThat(cfg.mapping().csv()).contains(base.resolve("mapping.csv"));
    assertThat(cfg.mapping().fallbackMailbox()).contains(new Mailbox("lp-unmapped@example.com"));
    assertThat(cfg.target().folder()).isEqualTo("LivePerson Conversational Cloud DataParser");
    assertThat(cfg.target().maildir().root()).isEqualTo(base.resolve("archive"));
    assertThat(cfg.state().dir()).isEqualTo(base.resolve("state"));
    assertThat(cfg.schedule().interval()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void aMultiLineSecretFromTheEnvironmentKeepsItsLines() {
    String pem =
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+\"q'\\x\n-----END PRIVATE KEY-----\n";
    ConfigLoader withKey =
        new ConfigLoader(n -> n.equals("LP_ARCHIVER_AUDIT_KEY") ? pem : ENV.get(n), CLOCK);

    ArchiverConfig cfg =
        withKey.parse(
            ConfigReference.EXAMPLE + "\naudit:\n  signingKey: ${LP_ARCHIVER_AUDIT_KEY}\n", base);

    assertThat(cfg.audit().signingKey()).map(Secret::reveal).contains(pem);
  }

  @Test
  void secretsNeverAppearWhenTheConfigIsPrinted() {
    ArchiverConfig cfg = loader.parse(ConfigReference.EXAMPLE, base);
    assertThat(cfg.toString())
        .doesNotContain("s3cr3t-value-for-consumer")
        .doesNotContain("t0ken: secret")
        .contains("****");
  }

  @Test
  void unknownKeysAreErrorsThatSuggestTheRightName() {
    String yaml = ConfigReference.EXAMPLE.replace("    account:", "    acount:");
    assertThatThrownBy(() -> loader.parse(yaml, base))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "source.liveperson.acount: unknown key (did you mean source.liveperson.account?)")
        .hasMessageContaining("source.liveperson.account: required");
  }

  @Test
  void reportsEveryProblemAtOnceNamingTheKeyWithoutEchoingSecrets() {
    String yaml =
        """
        source:
          liveperson:
            account: "abc"
            domainApi: ftp://nowhere
            auth: {type: oauth1, consumerKey: k, consumerSecret: ${LP_CONSUMER_SECRET}, token: t}
            channels: [messaging, fax]
        target:
          type: ews
        mapping:
          fallbackMailbox: not-an-address
        """;
    assertThatThrownBy(() -> loader.parse(yaml, base))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(6))
        .hasMessageContaining("source.liveperson.account: 'abc' is not a LivePerson account id")
        .hasMessageContaining("source.liveperson.domainApi:")
        .hasMessageContaining("source.liveperson.auth.tokenSecret: required")
        .hasMessageContaining("source.liveperson.channels: 'messaging, fax' is not a valid list")
        .hasMessageContaining("target.type: 'ews' is not a valid one of [maildir")
        .hasMessageContaining("mapping.fallbackMailbox:")
        .hasMessageNotContaining("s3cr3t-value-for-consumer");
  }

  @Test
  void missingEnvironmentVariableNamesTheVariableAndTheLine() {
    ConfigLoader bare = new ConfigLoader(name -> null, CLOCK);
    assertThatThrownBy(() -> bare.parse(ConfigReference.EXAMPLE, base))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 7: environment variable LP_CONSUMER_KEY is not set");
  }

  @Test
  void environmentDefaultsAndCommentsAreHandled() {
    String yaml =
        ConfigReference.EXAMPLE.replace(
            "${LP_TOKEN}", "${MISSING_TOKEN:-fallback-token} # was ${LP_NOPE}");
    ArchiverConfig cfg = loader.parse(yaml, base);
    assertThat(cfg.source().liveperson().auth().token()).isEqualTo("fallback-token");
  }

  @Test
  void backfillDefaultsToThirteenMonthsAgo() {
    String yaml = ConfigReference.EXAMPLE.replace("    backfillFrom: 2025-11-01T00:00:00Z\n", "");
    ArchiverConfig cfg = loader.parse(yaml, base);
    assertThat(cfg.source().liveperson().backfillFrom())
        .isEqualTo(Instant.parse("2025-10-26T00:00:00Z"));
  }

  @Test
  void sourceNameLongerThanLivePersonAllowsIsRejected() {
    String yaml =
        ConfigReference.EXAMPLE.replace(
            "    channels:", "    sourceName: this-is-far-too-long-a-name\n    channels:");
    assertThatThrownBy(() -> loader.parse(yaml, base))
        .hasMessageContaining("source.liveperson.sourceName: at most 20");
  }

  @Test
  void graphTargetNeedsTenantClientAndExactlyOneCredential() {
    String graph =
        "target:\n  type: graph\n  graph:\n    tenantId: t-1\n    clientId: c-1\n"
            + "    clientSecret: graph-secret-value\n    baseUrl: http://127.0.0.1:1/v1.0\n";
    String yaml = ConfigReference.EXAMPLE.replaceFirst("target:\n(  .*\n)+", graph);
    ArchiverConfig cfg = loader.parse(yaml, base);
    assertThat(cfg.target().type()).isEqualTo("graph");
    assertThat(cfg.target().graph().clientSecret())
        .hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo("graph-secret-value"));
    assertThat(cfg.target().graph().authority()).hasToString("https://login.microsoftonline.com");
    assertThat(cfg.toString()).doesNotContain("graph-secret-value");

    String neither =
        yaml.replace("    clientSecret: graph-secret-value\n", "")
            .replace("    tenantId: t-1\n", "");
    assertThatThrownBy(() -> loader.parse(neither, base))
        .hasMessageContaining("target.graph.tenantId: required")
        .hasMessageContaining("exactly one of clientSecret and certificatePath");
  }

  @Test
  void emptyOrBrokenFilesSayWhatIsWrong(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    assertThatThrownBy(() -> loader.parse("", base))
        .hasMessageContaining("the config file is empty");
    assertThatThrownBy(() -> loader.parse("source: [unclosed", base))
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> loader.load(dir.resolve("missing.yaml")))
        .hasMessageContaining("does not exist");
    Path file = dir.resolve("lp.yaml");
    Files.writeString(file, ConfigReference.EXAMPLE);
    assertThat(loader.load(file).state().dir()).isEqualTo(dir.resolve("state"));
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(ConfigLoader.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(ConfigLoader.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(ConfigLoader.parseDuration("PT15M")).isEqualTo(Duration.ofMinutes(15));
  }
}
