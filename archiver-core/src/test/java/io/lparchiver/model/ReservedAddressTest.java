package io.lparchiver.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReservedAddressTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1001 | 1001@12345678.liveperson.invalid",
        "Agent.Smith | agent.smith@12345678.liveperson.invalid",
        "../x | _x@12345678.liveperson.invalid",
        "a b | a_b@12345678.liveperson.invalid",
        "a..b. | a.b@12345678.liveperson.invalid",
        "x@evil.example | x_evil.example@12345678.liveperson.invalid",
      })
  void hostileIdsAreCutDownToSafeCharacters(String id, String expected) {
    assertThat(ReservedAddress.of(id, "12345678")).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ü", "...", "", " ", "\r\n", "//"})
  void idsWithNothingUsableLeftGetAStableStandIn(String id) {
    String address = ReservedAddress.of(id, "12345678");

    assertThat(address).matches("participant-[0-9a-f]{8}@12345678\\.liveperson\\.invalid");
    assertThat(ReservedAddress.of(id, "12345678")).isEqualTo(address);
  }

  @Test
  void differentUnusableIdsStayDistinct() {
    assertThat(ReservedAddress.of("ü", "1")).isNotEqualTo(ReservedAddress.of("ö", "1"));
  }

  @Test
  void localPartIsAtMost64Characters() {
    String local = ReservedAddress.localPart("a".repeat(63) + ".b" + "c".repeat(100));

    assertThat(local).hasSize(63).doesNotEndWith(".");
    assertThat(ReservedAddress.localPart("X".repeat(200))).isEqualTo("x".repeat(64));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a b", "ü", "ÄÖÜ-Straße", "\"quoted\"@x", "a\u0000b", "-_-"})
  void resultIsAlwaysAStrictlyValidAddress(String id) {
    assertThat(Mailbox.isValid(ReservedAddress.of(id, "12345678"))).isTrue();
    assertThat(Mailbox.isValid(ReservedAddress.of(id, "../Ev il"))).isTrue();
  }

  @Test
  void accountIsReducedToADomainLabel() {
    assertThat(ReservedAddress.of("1", "../Ev il")).isEqualTo("1@evil.liveperson.invalid");
    assertThat(ReservedAddress.of("1", "")).isEqualTo("1@unknown.liveperson.invalid");
  }
}
