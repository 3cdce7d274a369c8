package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.flink.changelog.fs.FsStateChangelogOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.junit.jupiter.api.Test;

class StateChangelogTest {

  @Test
  void turnsTheChangelogOnWhereTheClusterKeepsItDurably() {
    Configuration cluster = StateChangelog.storage("s3://bucket/changelog");

    assertThat(cluster.get(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE)).isEqualTo("filesystem");
    assertThat(cluster.get(FsStateChangelogOptions.BASE_PATH)).isEqualTo("s3://bucket/changelog");
    assertThat(StateChangelog.settingsOver(cluster).toMap())
        .isEqualTo(Map.of(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG.key(), "true"));
    cluster.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, "FileSystem");
    assertThat(StateChangelog.settingsOver(cluster).toMap()).as("named in another case").isNotEmpty();
  }

  @Test
  void staysOffOnAClusterWithoutDurableStorageOrThatTurnsItOff() {
    assertThat(StateChangelog.settingsOver(new Configuration()).toMap()).as("Flink's default storage: memory").isEmpty();
    Configuration turnedOff = StateChangelog.storage("s3://bucket/changelog");
    turnedOff.set(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG, false);
    assertThat(StateChangelog.settingsOver(turnedOff).toMap()).isEmpty();
  }

  @Test
  void staysOffForARunRestoredWithoutClaimingItsSnapshotWhoseFirstCheckpointWouldFailOtherwise() {
    Configuration restored = StateChangelog.storage("s3://bucket/changelog");
    restored.set(StateRecoveryOptions.SAVEPOINT_PATH, "s3://bucket/savepoints/savepoint-1");

    assertThat(StateChangelog.settingsOver(restored).toMap()).as("Flink's default: NO_CLAIM").isEmpty();
    for (RecoveryClaimMode keepsIt : List.of(RecoveryClaimMode.CLAIM, RecoveryClaimMode.LEGACY)) {
      restored.set(StateRecoveryOptions.RESTORE_MODE, keepsIt);
      assertThat(StateChangelog.settingsOver(restored).toMap()).as("%s", keepsIt)
          .containsEntry(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG.key(), "true");
    }
  }

  @Test
  void aLocalClusterKeepsItUnderItsDirectoryUnlessItsSettingsSayOtherwise() {
    Configuration local = new Configuration();
    StateChangelog.keepLocally(local, "file:///tmp/run/changelog");
    assertThat(local.get(FsStateChangelogOptions.BASE_PATH)).isEqualTo("file:///tmp/run/changelog");
    assertThat(local.get(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG)).isTrue();

    Configuration elsewhere = new Configuration();
    elsewhere.set(FsStateChangelogOptions.BASE_PATH, "file:///data/changelog");
    StateChangelog.keepLocally(elsewhere, "file:///tmp/run/changelog");
    assertThat(elsewhere.get(FsStateChangelogOptions.BASE_PATH)).isEqualTo("file:///data/changelog");

    Configuration inMemory = new Configuration();
    inMemory.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, "memory");
    StateChangelog.keepLocally(inMemory, "file:///tmp/run/changelog");
    assertThat(inMemory.getOptional(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG)).isEmpty();
  }

  @Test
  void refusesDurableStorageWithoutAPlaceRatherThanFailEveryTask() {
    Configuration cluster = new Configuration();
    cluster.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, "filesystem");

    assertThatThrownBy(() -> StateChangelog.settingsOver(cluster)).isInstanceOf(IllegalConfigurationException.class)
        .hasMessageContaining(FsStateChangelogOptions.BASE_PATH.key());
  }
}
