package io.lparchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.model.Mailbox;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** target.imap.* and target.smtp.*: what each target type needs, and no silent plaintext. */
class TargetConfigTest {

  private static final Map<String, String> ENV =
      Map.of(
          "LP_CONSUMER_KEY", "k",
          "LP_CONSUMER_SECRET", "s",
          "LP_TOKEN", "t",
          "LP_TOKEN_SECRET", "ts",
          "IMAP_PASSWORD", "imap-Pa55-secret");
  private final ConfigLoader loader =
      new ConfigLoader(
          ENV::get, Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC));
  private final Path base = Path.of("/etc/lp-archiver");

  private static String withTarget(String target) {
    String example = ConfigReference.EXAMPLE;
    int start = example.indexOf("target:");
    int end = example.indexOf("state:");
    return example.substring(0, start) + target + example.substring(end);
  }

  @Test
  void imapTargetLoadsWithDefaultsAndMaskedPassword() {
    ArchiverConfig cfg =
        loader.parse(
            withTarget(
                """
                target:
                  type: imap
                  imap:
                    host: imap.example.com
                    username: archiver
                    password: ${IMAP_PASSWORD}
                """),
            base);

    ArchiverConfig.Imap imap = cfg.target().imap();
    assertThat(cfg.target().type()).isEqualTo("imap");
    assertThat(imap.host()).contains("imap.example.com");
    assertThat(imap.port()).isEmpty();
    assertThat(imap.security()).isEqualTo("tls");
    assertThat(imap.allowInsecure()).isFalse();
    assertThat(imap.mode()).isEqualTo("per-mailbox");
    assertThat(imap.loginTemplate()).isEqualTo("{mailbox}*{username}");
    assertThat(imap.password().reveal()).isEqualTo("imap-Pa55-secret");
    assertThat(imap.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(cfg.toString()).doesNotContain("imap-Pa55-secret");
  }

  @Test
  void imapNeedsHostUserAndPasswordAndRefusesPlaintextUnlessAllowed() {
    String yaml = withTarget("target:\n  type: imap\n  imap:\n    security: none\n");

    assertThatThrownBy(() -> loader.parse(yaml, base))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("target.imap.host: required when target.type is imap")
        .hasMessageContaining("target.imap.username: required when target.type is imap")
        .hasMessageContaining("target.imap.password: required when target.type is imap")
        .hasMessageContaining("target.imap.security: 'none' sends the password in clear")
        .hasMessageContaining("target.imap.allowInsecure: true");
  }

  @Test
  void plaintextOnLoopbackIsAllowedExplicitly() {
    ArchiverConfig cfg =
        loader.parse(
            withTarget(
                """
                target:
                  type: imap
                  imap: {host: 127.0.0.1, port: 14143, security: none, allowInsecure: true,
                         username: archiver, password: x, mode: shared}
                """),
            base);

    assertThat(cfg.target().imap().allowInsecure()).isTrue();
    assertThat(cfg.target().imap().port()).contains(14143);
    assertThat(cfg.target().imap().mode()).isEqualTo("shared");
  }

  @Test
  void smtpNeedsHostAndEnvelopeSenderAndAPasswordWithAUser() {
    String yaml = withTarget("target:\n  type: smtp\n  smtp:\n    username: archiver\n");

    assertThatThrownBy(() -> loader.parse(yaml, base))
        .hasMessageContaining("target.smtp.host: required when target.type is smtp")
        .hasMessageContaining("target.smtp.envelopeFrom: required when target.type is smtp")
        .hasMessageContaining("target.smtp.password: required when target.type is smtp");
  }

  @Test
  void smtpJournalTargetLoads() {
    ArchiverConfig cfg =
        loader.parse(
            withTarget(
                """
                target:
                  type: smtp
                  smtp:
                    host: smtp.example.com
                    envelopeFrom: lp-archiver@example.com
                    journalAddress: journal@archive.example.com
                """),
            base);

    ArchiverConfig.Smtp smtp = cfg.target().smtp();
    assertThat(smtp.security()).isEqualTo("starttls");
    assertThat(smtp.username()).isEmpty();
    assertThat(smtp.envelopeFrom()).contains(new Mailbox("lp-archiver@example.com"));
    assertThat(smtp.journalAddress()).contains(new Mailbox("journal@archive.example.com"));
  }

  @Test
  void imapWithOAuth2NeedsClientCredentialsInsteadOfAPassword() {
    String yaml =
        withTarget(
            """
            target:
              type: imap
              imap:
                host: outlook.office365.com
                loginTemplate: "{mailbox}"
                oauth2:
                  tokenUrl: https://login.example.com/tenant/oauth2/v2.0/token
                  clientId: app-1
            """);

    assertThatThrownBy(() -> loader.parse(yaml, base))
        .hasMessageContaining("target.imap.oauth2.clientSecret: required when target.type is imap")
        .hasMessageNotContaining("target.imap.password: required");

    ArchiverConfig cfg =
        loader.parse(
            yaml.replace(
                "clientId: app-1", "clientId: app-1\n      clientSecret: ${IMAP_PASSWORD}"),
            base);
    assertThat(cfg.target().imap().oauth2())
        .hasValueSatisfying(
            o -> {
              assertThat(o.clientId()).isEqualTo("app-1");
              assertThat(o.clientSecret().reveal()).isEqualTo("imap-Pa55-secret");
            });
    assertThat(cfg.toString()).doesNotContain("imap-Pa55-secret");
  }
}
