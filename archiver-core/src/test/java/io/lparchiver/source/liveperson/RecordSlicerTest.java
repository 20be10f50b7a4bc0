package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecordSlicerTest {

  @Test
  void slicesEachRecordByteForByte() throws IOException {
    byte[] body = Fixtures.bytes("search-page.json");
    String text = Fixtures.text("search-page.json");

    RecordSlicer.Page page = RecordSlicer.slice(body, "conversationHistoryRecords");

    String first =
        "{  \"info\":{\"conversationId\":\"a1\",\"status\":\"CLOSE\",\"startTimeL\":1714557600123,\n"
            + "   \"brandName\":\"Caf\\u00e9 \\\"quoted\\\" } ]\"},   \"z\":1,\"a\":[ {}, [] ]}";
    String second =
        "{\"a\":2,\"info\":{\"status\":\"CLOSE\",\"conversationId\":\"a2\",\"startTimeL\":1714557600999}}";
    assertThat(text).contains(first).contains(second);
    assertThat(page.records()).hasSize(2);
    assertThat(new String(page.records().get(0), StandardCharsets.UTF_8)).isEqualTo(first);
    assertThat(new String(page.records().get(1), StandardCharsets.UTF_8)).isEqualTo(second);
    assertThat(page.count()).isEqualTo(2);
    assertThat(page.partialResult()).isFalse();
  }

  @Test
  void multiByteUtf8IsSlicedOnByteOffsets() throws IOException {
    String body =
        "{\"_metadata\":{\"count\":1},\"conversationHistoryRecords\":[{\"n\":\"Zoë – 日本\"},{\"n\":\"ß\"}]}";
    RecordSlicer.Page page =
        RecordSlicer.slice(body.getBytes(StandardCharsets.UTF_8), "conversationHistoryRecords");

    assertThat(page.records())
        .extracting(r -> new String(r, StandardCharsets.UTF_8))
        .containsExactly("{\"n\":\"Zoë – 日本\"}", "{\"n\":\"ß\"}");
  }

  @Test
  void aCutOffBodyIsAnError() {
    byte[] body = Fixtures.bytes("search-page.json");
    byte[] half = Arrays.copyOf(body, body.length / 2);
    assertThatThrownBy(() -> RecordSlicer.slice(half, "conversationHistoryRecords"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void readsPartialResultAndToleratesAMissingArray() throws IOException {
    byte[] body =
        "{\"_metadata\":{\"count\":\"7\",\"shardsStatusResult\":{\"partialResult\":true}}}"
            .getBytes(StandardCharsets.UTF_8);
    RecordSlicer.Page page = RecordSlicer.slice(body, "conversationHistoryRecords");
    assertThat(page.partialResult()).isTrue();
    assertThat(page.count()).isEqualTo(7);
    assertThat(page.records()).isEmpty();
  }
}
