package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigException;
import io.lparchiver.config.ConfigLoader;
import io.lparchiver.config.ConfigReference;
import io.lparchiver.deliver.TransportSecurity;
import io.lparchiver.deliver.imap.ImapSettings;
import io.lparchiver.deliver.smtp.SmtpSettings;
import io.lparchiver.wiring.Stages;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** target.type picks the sink; the settings the sinks get from the configuration. */
class ArchiverTargetTest {

  private static ArchiverConfig load(String target) {
    String example = ConfigReference.EXAMPLE;
    String yaml =
        example.substring(0, example.indexOf("target:"))
            + target
            + example.substring(example.indexOf("state:"));
    return new ConfigLoader(name -> "x", Clock.systemUTC()).parse(yaml, Path.of("/tmp"));
  }

  @Test
  void imapPortDefaultsBySecurityAndThePasswordStaysMasked() {
    ArchiverConfig tls =
        load("target:\n  type: imap\n  imap: {host: h, username: u, password: pw-secret-1}\n");
    ArchiverConfig starttls =
        load(
            "target:\n  type: imap\n"
                + "  imap: {host: h, username: u, password: p, security: starttls}\n");

    ImapSettings settings = Stages.imapSettings(tls);
    assertThat(settings.port()).isEqualTo(993);
    assertThat(settings.security()).isEqualTo(TransportSecurity.TLS);
    assertThat(settings.mode()).isEqualTo(ImapSettings.Mode.PER_MAILBOX);
    assertThat(settings.folder()).isEqualTo("LivePerson Conversational Cloud DataParser");
    assertThat(settings.toString()).doesNotContain("pw-secret-1");
    assertThat(Stages.imapSettings(starttls).port()).isEqualTo(143);
  }

  @Test
  void aFolderThatWouldNestIsAConfigError() {
    ArchiverConfig cfg =
        load(
            "target:\n  type: imap\n  folder: Archive.LivePerson\n"
                + "  imap: {host: h, username: u, password: p}\n");

    assertThatThrownBy(() -> Stages.imapSettings(cfg))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("target.folder");
  }

  @Test
  void smtpPortDefaultsToSubmission() {
    SmtpSettings settings =
        Stages.smtpSettings(
            load("target:\n  type: smtp\n  smtp: {host: h, envelopeFrom: a@b.example}\n"));

    assertThat(settings.port()).isEqualTo(587);
    assertThat(settings.security()).isEqualTo(TransportSecurity.STARTTLS);
    assertThat(settings.username()).isEmpty();
  }
}
