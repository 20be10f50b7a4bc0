package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.app.KillStages.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

class KillStagesTest {

  private static final String DUMP =
      """
      Full thread dump OpenJDK 64-Bit Server VM (17.0.12+7 mixed mode, sharing):

      "main" #1 prio=5 os_prio=0 cpu=812.11ms elapsed=1.52s tid=0x1 nid=0x2 waiting on condition
         java.lang.Thread.State: TIMED_WAITING (parking)
      \tat jdk.internal.misc.Unsafe.park(java.base@17.0.12/Native Method)
      \tat io.lparchiver.pipeline.Lanes.awaitIdle(Lanes.java:90)
      \tat io.lparchiver.pipeline.SyncJob.syncSource(SyncJob.java:215)

      "sync-3-lane-1" #21 prio=5 os_prio=0 cpu=90.00ms elapsed=0.80s tid=0x3 nid=0x4 runnable
         java.lang.Thread.State: RUNNABLE
      \tat sun.nio.ch.FileDispatcherImpl.force0(java.base@17.0.12/Native Method)
      \tat io.lparchiver.deliver.maildir.MaildirSink.deliver(MaildirSink.java:120)
      \tat io.lparchiver.pipeline.ConversationProcessor.deliver(ConversationProcessor.java:200)

      "sync-3-lane-2" #22 prio=5 os_prio=0 cpu=90.00ms elapsed=0.80s tid=0x5 nid=0x6 blocked
         java.lang.Thread.State: BLOCKED (on object monitor)
      \tat io.lparchiver.state.StateStore.recordDelivery(StateStore.java:373)
      \tat io.lparchiver.pipeline.ConversationProcessor.record(ConversationProcessor.java:230)

      "Common-Cleaner" #9 daemon prio=8 os_prio=0 cpu=0.10ms elapsed=1.50s tid=0x7 nid=0x8 waiting
         java.lang.Thread.State: TIMED_WAITING (on object monitor)
      \tat java.lang.Object.wait(java.base@17.0.12/Native Method)

      JNI global refs: 15, weak refs: 0
      """;

  @Test
  void eachThreadCountsInTheStageOfItsInnermostArchiverFrame() {
    assertThat(KillStages.stagesOf(DUMP))
        .containsExactlyInAnyOrder(Stage.PIPELINE, Stage.DELIVER, Stage.LEDGER);
  }

  @Test
  void aDumpWithoutPipelineFramesIsStartUp() {
    assertThat(
            KillStages.stageOf(
                List.of(
                    "io.lparchiver.state.StateStore.open(StateStore.java:66)",
                    "io.lparchiver.app.SyncCommand.call(SyncCommand.java:50)")))
        .isEqualTo(Stage.STARTUP);
    assertThat(KillStages.stagesOf("Full thread dump\n\n\"main\" #1\n\tat java.lang.Thread.run"))
        .containsExactly(Stage.STARTUP);
  }

  @Test
  void aCheckpointWinsOverTheStateStoreAroundIt() {
    assertThat(
            KillStages.stageOf(
                List.of(
                    "io.lparchiver.state.StateStore.saveCheckpoint(StateStore.java:526)",
                    "io.lparchiver.pipeline.SyncJob.syncSource(SyncJob.java:219)")))
        .isEqualTo(Stage.CHECKPOINT);
  }

  @Test
  void signingOrDownloadingAFileIsNotAPageFetch() {
    assertThat(
            KillStages.stageOf(
                List.of(
                    "io.lparchiver.source.liveperson.UrlSigningSocket.sign(UrlSigningSocket.java:82)",
                    "io.lparchiver.source.liveperson.HostedFileFetcher.fetch(HostedFileFetcher.java:110)",
                    "io.lparchiver.pipeline.ConversationProcessor.download(ConversationProcessor.java:224)")))
        .isEqualTo(Stage.FILES);
    assertThat(
            KillStages.stageOf(
                List.of(
                    "io.lparchiver.source.liveperson.PagedSearch.completePage(PagedSearch.java:70)",
                    "io.lparchiver.pipeline.SyncJob.syncSource(SyncJob.java:215)")))
        .isEqualTo(Stage.FETCH);
  }
}
