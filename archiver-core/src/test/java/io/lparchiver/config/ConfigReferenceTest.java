package io.lparchiver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is generated from ConfigKeys; this keeps the two from drifting apart. */
class ConfigReferenceTest {

  @Test
  void docsMatchTheKeyDefinitions() throws Exception {
    Path docs = Path.of("..", "docs", "configuration.md");
    if (Boolean.getBoolean("docs.update")) {
      Files.writeString(docs, ConfigReference.markdown(), StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(docs, StandardCharsets.UTF_8))
        .as(
            "docs/configuration.md is stale: run `mvn -pl archiver-core test -Dtest=ConfigReferenceTest -Ddocs.update=true`")
        .isEqualTo(ConfigReference.markdown());
  }

  @Test
  void everyKeyIsDocumented() {
    assertThat(ConfigKeys.ALL).allSatisfy(k -> assertThat(k.doc()).isNotBlank());
  }
}
