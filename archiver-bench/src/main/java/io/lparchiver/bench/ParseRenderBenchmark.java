package io.lparchiver.bench;

import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Recipients;
import io.lparchiver.render.EmailRenderer;
import io.lparchiver.render.RenderException;
import io.lparchiver.source.SourceRecord;
import io.lparchiver.source.liveperson.MessagingRecordParser;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of the CPU-bound stages per conversation size: parse the record, render the email. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ParseRenderBenchmark {

  @Param({"10", "100", "1000"})
  public int messages;

  private final MessagingRecordParser parser = new MessagingRecordParser("12345678");
  private final EmailRenderer renderer = new EmailRenderer(ZoneOffset.UTC);
  private byte[] raw;
  private FetchedConversation fetched;
  private MessageKey key;
  private Recipients recipients;

  @Setup
  public void setUp() {
    raw = SyntheticRecords.conversation(messages, 42);
    fetched = parse();
    key =
        new MessageKey(
            "12345678", fetched.conversation().channel(), fetched.conversation().id(), 1);
    recipients =
        new Recipients(
            new TreeSet<>(
                List.of(new Mailbox("ann@brand.example"), new Mailbox("bob@brand.example"))),
            Map.of("1001", "ann@brand.example", "1002", "bob@brand.example"),
            List.of());
  }

  @Benchmark
  public FetchedConversation parse() {
    SourceRecord record = parser.parse(raw);
    if (record instanceof SourceRecord.Parsed parsed) {
      return parsed.fetched();
    }
    throw new IllegalStateException("synthetic record did not parse: " + record);
  }

  @Benchmark
  public ArchiveEmail render() throws RenderException {
    return renderer.render(fetched, key, recipients, List.of());
  }
}
