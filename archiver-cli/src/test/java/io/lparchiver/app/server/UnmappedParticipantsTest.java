package io.lparchiver.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.config.ConfigKeys;
import io.lparchiver.deliver.maildir.MaildirSink;
import io.lparchiver.mapping.MappingOverrides;
import io.lparchiver.mapping.ParticipantMapper;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Mailbox;
import io.lparchiver.pipeline.DeliveryRetry;
import io.lparchiver.pipeline.SyncJob;
import io.lparchiver.pipeline.SyncReport;
import io.lparchiver.render.EmailRenderer;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.source.liveperson.LivePersonClient;
import io.lparchiver.source.liveperson.RetryPolicy;
import io.lparchiver.state.StateStore;
import io.lparchiver.state.UnmappedParticipant;
import io.lparchiver.testing.SimulatorClients;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents whose mailbox the target does not host fall to the fallback mailbox; the status page and
 * /api/status list each of them with the number of conversations and when they were last seen,
 * counted once per conversation however often it is read again.
 */
class UnmappedParticipantsTest {

  private static final Mailbox FALLBACK = new Mailbox("compliance-archive@brand.example");
  private static final Clock CLOCK = Clock.systemUTC();

  @TempDir Path dir;

  @Test
  void agentsWithoutAMailboxAreListedWithCountsAndLastSeen() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SeededDataSet data = SeededDataSet.generate(new DataSetSpec(40, 4, 5, now, 10));
    try (LivePersonSimulator sim =
            LivePersonSimulator.builder()
                .port(0)
                .credentials(SimulatorCredentials.demo())
                .dataSet(data)
                .faults(Faults.none())
                .build()
                .start();
        StateStore state = StateStore.open(dir.resolve("state"), CLOCK);
        MaildirSink sink =
            new MaildirSink(dir.resolve("archive"), ConfigKeys.DEFAULT_FOLDER, CLOCK)) {
      LivePersonClient client = SimulatorClients.demo(sim, RetryPolicy.defaults());
      // the target hosts nobody: every conversation falls to the fallback mailbox
      ParticipantMapper mapper =
          new ParticipantMapper(
              MappingOverrides.none(),
              client.users()::find,
              m -> false,
              Optional.of(FALLBACK),
              List.of());
      SyncJob job =
          new SyncJob(
              sim.account(),
              List.of(client.messaging()),
              mapper,
              new EmailRenderer(ZoneOffset.UTC),
              sink,
              state,
              CLOCK,
              DeliveryRetry.standard(),
              now.minus(11, ChronoUnit.DAYS),
              Duration.ofMinutes(30),
              4,
              Optional.empty(),
              Optional.empty(),
              io.lparchiver.pipeline.OpenSnapshots.off());
      SyncReport first =
          job.run(new SyncJob.Options(Optional.empty(), false), SyncJob.Progress.none());
      assertThat(first.deliveriesPerMailbox()).containsOnlyKeys(FALLBACK);
      List<UnmappedParticipant> once = state.unmappedParticipants(100);
      // the same range read again: no conversation is counted twice
      job.run(
          new SyncJob.Options(
              Optional.of(
                  new io.lparchiver.model.Window(
                      now.minus(11, ChronoUnit.DAYS), now.plusSeconds(60))),
              false),
          SyncJob.Progress.none());
      List<UnmappedParticipant> listed = state.unmappedParticipants(100);
      assertThat(listed).isEqualTo(once);

      // LivePerson names an agent by user id or by pid
      java.util.Set<String> agentIds = new java.util.HashSet<>();
      data.agents()
          .forEach(
              a -> {
                agentIds.add(a.id());
                agentIds.add(a.pid());
              });
      assertThat(listed).isNotEmpty();
      assertThat(listed).allSatisfy(p -> assertThat(agentIds).contains(p.participantId()));
      assertThat(listed.stream().mapToLong(UnmappedParticipant::conversations).sum())
          .as("one row per agent and conversation")
          .isGreaterThanOrEqualTo(first.conversations());
      assertThat(listed)
          .isSortedAccordingTo((a, b) -> Long.compare(b.conversations(), a.conversations()));
      assertThat(listed).allSatisfy(p -> assertThat(p.lastSeen()).isBeforeOrEqualTo(now));

      StatusSnapshot snapshot =
          new StatusReader(
                  state,
                  List.of(Channel.MESSAGING),
                  StatusReader.Schedule.none(),
                  Duration.ofHours(2),
                  "maildir",
                  CLOCK)
              .read();
      UnmappedParticipant top = listed.get(0);
      String page = StatusPage.render(snapshot, false);
      assertThat(page)
          .contains("Unmapped participants")
          .contains(top.participantId())
          .contains(top.displayName());
      JsonNode api = new ObjectMapper().readTree(StatusServer.json(snapshot));
      JsonNode first0 = api.get("unmappedParticipants").get(0);
      assertThat(first0.get("participantId").asText()).isEqualTo(top.participantId());
      assertThat(first0.get("conversations").asLong()).isEqualTo(top.conversations());
      assertThat(first0.get("lastSeen").asText()).isEqualTo(top.lastSeen().toString());
    }
  }
}
