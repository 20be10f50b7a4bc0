package io.lparchiver.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.model.Mailbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingOverridesTest {

  @TempDir Path dir;

  private Path csv(String content) throws IOException {
    return Files.writeString(dir.resolve("mapping.csv"), content);
  }

  @Test
  void readsRowsSkippingCommentsAndBlankLines() throws IOException {
    MappingOverrides overrides =
        MappingOverrides.load(
            csv(
                """
                # who gets what
                participant,mailbox

                1001,ann.lee@brand.example
                  # indented comment
                joe@customer.example , Compliance@Brand.example
                """));

    assertThat(overrides.size()).isEqualTo(2);
    assertThat(overrides.find("1001")).contains(new Mailbox("ann.lee@brand.example"));
    assertThat(overrides.find("joe@customer.example"))
        .contains(new Mailbox("compliance@brand.example"));
    assertThat(overrides.find("1002")).isEmpty();
  }

  @Test
  void participantsMatchCaseInsensitively() throws IOException {
    MappingOverrides overrides =
        MappingOverrides.load(csv("PARTICIPANT,Mailbox\nAnn.Login,ann@brand.example\n"));

    assertThat(overrides.find("ann.login")).isPresent();
    assertThat(overrides.find("ANN.LOGIN")).isPresent();
  }

  @Test
  void quotedFieldsMayHoldCommasAndQuotes() throws IOException {
    MappingOverrides overrides =
        MappingOverrides.load(
            csv(
                "\uFEFF\"participant\",\"mailbox\"\r\n"
                    + "\"Lee, Ann\",\"ann@brand.example\"\r\n"
                    + "\"say \"\"hi\"\"\",hi@brand.example\r\n"));

    assertThat(overrides.find("lee, ann")).contains(new Mailbox("ann@brand.example"));
    assertThat(overrides.find("say \"hi\"")).contains(new Mailbox("hi@brand.example"));
  }

  @Test
  void missingHeaderNamesFileAndLine() throws IOException {
    Path file = csv("# comment\n1001,ann@brand.example\n");

    assertThatThrownBy(() -> MappingOverrides.load(file))
        .isInstanceOfSatisfying(
            MappingFileException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.file()).isEqualTo(file);
            })
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 2")
        .hasMessageContaining("header");
  }

  @Test
  void emptyFileLacksTheHeader() throws IOException {
    Path file = csv("\n# only comments\n");

    assertThatThrownBy(() -> MappingOverrides.load(file))
        .isInstanceOf(MappingFileException.class)
        .hasMessageContaining("missing header row");
  }

  @Test
  void badAddressIsReportedWithItsLineNumber() throws IOException {
    Path file = csv("participant,mailbox\n\n# x\n1001,ann@brand.example\n1002,not-an-address\n");

    assertThatThrownBy(() -> MappingOverrides.load(file))
        .isInstanceOfSatisfying(MappingFileException.class, e -> assertThat(e.line()).isEqualTo(5))
        .hasMessageContaining("line 5")
        .hasMessageContaining("not a mailbox address: 'not-an-address'");
  }

  @Test
  void wrongFieldCountIsReported() throws IOException {
    Path file = csv("participant,mailbox\n1001,ann@brand.example,extra\n");

    assertThatThrownBy(() -> MappingOverrides.load(file))
        .hasMessageContaining("line 2")
        .hasMessageContaining("expected 2 fields");
  }

  @Test
  void emptyParticipantIsReported() throws IOException {
    Path file = csv("participant,mailbox\n ,ann@brand.example\n");

    assertThatThrownBy(() -> MappingOverrides.load(file))
        .hasMessageContaining("participant is empty");
  }

  @Test
  void unterminatedQuoteIsReported() throws IOException {
    Path file = csv("participant,mailbox\n\"1001,ann@brand.example\n");

    assertThatThrownBy(() -> MappingOverrides.load(file))
        .hasMessageContaining("line 2")
        .hasMessageContaining("unterminated");
  }

  @Test
  void conflictingRowsForOneParticipantAreRejected() throws IOException {
    Path file =
        csv(
            "participant,mailbox\n1001,ann@brand.example\nann,x@brand.example\n1001,bob@brand.example\n");

    assertThatThrownBy(() -> MappingOverrides.load(file))
        .hasMessageContaining("line 4")
        .hasMessageContaining("already mapped to ann@brand.example on line 2");
  }

  @Test
  void repeatingTheSameRowIsHarmless() throws IOException {
    MappingOverrides overrides =
        MappingOverrides.load(
            csv("participant,mailbox\n1001,ann@brand.example\n1001,ANN@brand.example\n"));

    assertThat(overrides.size()).isEqualTo(1);
  }

  @Test
  void missingFileIsAnIoError() {
    assertThatThrownBy(() -> MappingOverrides.load(dir.resolve("absent.csv")))
        .isInstanceOf(NoSuchFileException.class);
  }
}
