package io.lparchiver.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigException;
import io.lparchiver.config.ConfigKey;
import io.lparchiver.config.ConfigKeys;
import io.lparchiver.model.Channel;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class ConnectorSettingsTest {

  private static final String SECRET = "s3cr3t-token-secret";
  private final ConfigDef def = ConnectorSettings.configDef(new ConfigDef());

  private static Map<String, String> minimal() {
    Map<String, String> c = new HashMap<>();
    c.put("connector.class", "io.lparchiver.connect.sink.MailboxSinkConnector");
    c.put("topics", "lp.conversations");
    c.put("source.liveperson.account", "12345678");
    c.put("source.liveperson.auth.consumerKey", "key");
    c.put("source.liveperson.auth.consumerSecret", "consumer-secret");
    c.put("source.liveperson.auth.token", "token");
    c.put("source.liveperson.auth.tokenSecret", SECRET);
    return c;
  }

  @Test
  void everyYamlKeyIsAConnectorKeyOfTheMatchingType() {
    for (ConfigKey key : ConfigKeys.ALL) {
      ConfigDef.ConfigKey connectKey = def.configKeys().get(key.path());
      assertThat(connectKey).as(key.path()).isNotNull();
      ConfigDef.Type expected =
          switch (key.type()) {
            case SECRET -> ConfigDef.Type.PASSWORD;
            case ENUM_LIST, MAILBOX_LIST -> ConfigDef.Type.LIST;
            default -> ConfigDef.Type.STRING;
          };
      assertThat(connectKey.type).as(key.path()).isEqualTo(expected);
      assertThat(connectKey.hasDefault()).as(key.path()).isEqualTo(!key.required());
    }
    assertThat(def.configKeys()).hasSize(ConfigKeys.ALL.size());
  }

  @Test
  void propertiesBecomeTheSameConfigurationAsTheYamlFile() {
    Map<String, String> c = minimal();
    c.put("source.liveperson.channels", "messaging, chat");
    c.put("source.liveperson.backfillFrom", "2025-11-01T00:00:00Z");
    c.put("source.liveperson.retry.maxAttempts", "3");
    c.put("mapping.alwaysCopyTo", "journal@example.com,audit@example.com");
    c.put("target.maildir.root", "/var/archive");

    ArchiverConfig config = ConnectorSettings.parse(c, Clock.systemUTC());

    assertThat(config.source().liveperson().account()).isEqualTo("12345678");
    assertThat(config.source().liveperson().channels())
        .containsExactly(Channel.MESSAGING, Channel.CHAT);
    assertThat(config.source().liveperson().backfillFrom())
        .isEqualTo(Instant.parse("2025-11-01T00:00:00Z"));
    assertThat(config.source().liveperson().retry().maxAttempts()).isEqualTo(3);
    assertThat(config.source().liveperson().auth().tokenSecret().reveal()).isEqualTo(SECRET);
    assertThat(config.mapping().alwaysCopyTo()).hasSize(2);
    assertThat(config.target().maildir().root()).hasToString("/var/archive");
    assertThat(config.target().type()).isEqualTo("maildir");
  }

  @Test
  void problemsNameTheirKeyAndNeverShowASecret() {
    Map<String, String> c = minimal();
    c.put("target.type", "ftp");
    c.put("target.maildir.rot", "/x");
    c.put("source.liveperson.auth.consumerSecret", "");

    assertThatThrownBy(() -> ConnectorSettings.parse(c, Clock.systemUTC()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("target.type")
        .hasMessageContaining("did you mean target.maildir.root?")
        .hasMessageNotContaining(SECRET);

    List<ConfigValue> values = ConnectorSettings.validate(def, c);
    assertThat(errors(values, "target.type")).singleElement().asString().contains("maildir");
    assertThat(errors(values, "target.maildir.rot")).singleElement().asString().contains("unknown");
    assertThat(values.stream().flatMap(v -> v.errorMessages().stream()))
        .noneMatch(m -> m.contains(SECRET));
  }

  @Test
  void aMissingRequiredKeyIsReportedByConnectsOwnValidation() {
    Map<String, String> c = minimal();
    c.remove("source.liveperson.account");

    assertThat(errors(ConnectorSettings.validate(def, c), "source.liveperson.account"))
        .singleElement()
        .asString()
        .contains("Missing required configuration");
  }

  private static List<String> errors(List<ConfigValue> values, String name) {
    return values.stream()
        .filter(v -> v.name().equals(name))
        .flatMap(v -> v.errorMessages().stream())
        .toList();
  }
}
