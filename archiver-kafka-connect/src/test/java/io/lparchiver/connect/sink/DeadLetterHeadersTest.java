package io.lparchiver.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.connect.RecordFormat;
import io.lparchiver.model.DeadLetterStage;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** The copy a dead letter is sent as: the record as it was, plus our stage and reason headers. */
class DeadLetterHeadersTest {

  @Test
  void theCopyKeepsKeyValueAndHeadersAndAddsStageReasonAndConversation() {
    byte[] value = "{not json".getBytes(StandardCharsets.UTF_8);
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(RecordFormat.CHANNEL, "messaging");
    headers.addString(RecordFormat.CONVERSATION_ID, "c-1");
    // as if replayed from the dead-letter queue once already
    headers.addString(RecordFormat.DLQ_REASON, "an earlier reason");
    SinkRecord record =
        new SinkRecord(
            "lp.conversations",
            3,
            Schema.STRING_SCHEMA,
            "12345678:c-1",
            Schema.BYTES_SCHEMA,
            value,
            42,
            1_700_000_000_000L,
            TimestampType.CREATE_TIME,
            headers);

    SinkRecord copy =
        MailboxSinkTask.withReason(record, DeadLetterStage.PARSE, "record is not valid JSON");

    assertThat(copy.getClass()).isEqualTo(SinkRecord.class);
    assertThat(copy.topic()).isEqualTo("lp.conversations");
    assertThat(copy.kafkaPartition()).isEqualTo(3);
    assertThat(copy.kafkaOffset()).isEqualTo(42);
    assertThat(copy.key()).isEqualTo("12345678:c-1");
    assertThat(copy.value()).isSameAs(value);
    assertThat(copy.headers().lastWithName(RecordFormat.CHANNEL).value()).isEqualTo("messaging");
    assertThat(copy.headers().lastWithName(RecordFormat.DLQ_STAGE).value()).isEqualTo("parse");
    assertThat(copy.headers().allWithName(RecordFormat.DLQ_REASON))
        .toIterable()
        .singleElement()
        .satisfies(h -> assertThat(h.value()).isEqualTo("record is not valid JSON"));
    assertThat(copy.headers().lastWithName(RecordFormat.DLQ_CONVERSATION).value()).isEqualTo("c-1");
  }
}
