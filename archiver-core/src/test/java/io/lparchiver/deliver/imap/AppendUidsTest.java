package io.lparchiver.deliver.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppendUidsTest {

  @Test
  void aRangeAndAListGiveOneUidPerMessageInOrder() {
    assertThat(AppendUids.of("m0 OK [APPENDUID 1795824521 801:804] Append completed", 4))
        .contains(List.of("1795824521:801", "1795824521:802", "1795824521:803", "1795824521:804"));
    assertThat(AppendUids.of("a OK [appenduid 7 5,9:10] done", 3))
        .contains(List.of("7:5", "7:9", "7:10"));
  }

  @Test
  void noAppendUidOrAnotherCountGivesNoneSoTheCopiesAreLookedUp() {
    assertThat(AppendUids.of("m0 OK Append completed", 2)).isEmpty();
    assertThat(AppendUids.of("m0 OK [APPENDUID 7 1:3] done", 2)).isEmpty();
    assertThat(AppendUids.of("m0 OK [APPENDUID 7 1:3] done", 4)).isEmpty();
    assertThat(AppendUids.of("m0 OK [APPENDUID 7 99999999999999999999] done", 1)).isEmpty();
  }
}
