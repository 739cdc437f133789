package org.coopcloud.recipeci.internal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether a snapshot holds a marker: a file that is the marker, or a dump with the marker in a row. */
class SnapshotTest {
    @TempDir
    Path dir;

    @Test
    void aFileThatIsTheMarker() throws Exception {
        Files.createDirectories(dir.resolve("app/0"));
        Files.writeString(dir.resolve("app/0/.recipe-ci-marker"), "recipe-ci-backup-0a1b2c3d4e5f\n");

        assertThat(snapshot().holds("recipe-ci-backup-0a1b2c3d4e5f")).isTrue();
        assertThat(snapshot().holds("recipe-ci-backup-ffffffffffff")).isFalse();
    }

    @Test
    void aDatabaseDumpWithTheMarkerInARow() throws Exception {
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(
                dir.resolve("db/0"),
                """
                COPY public.marker (id, body, updated_at) FROM stdin;
                1\trecipe-ci-backup-0a1b2c3d4e5f\t2026-12-05 10:00:00+00
                \\.
                """);

        assertThat(snapshot().holds("recipe-ci-backup-0a1b2c3d4e5f")).isTrue();
        assertThat(snapshot().holds("recipe-ci-damaged-0a1b2c3d4e5f")).isFalse();
        assertThat(snapshot().holds("  ")).as("no marker is never held").isFalse();
    }

    @Test
    void aSymbolicLinkIsNotFollowed_itPointsIntoTheContainer_notAtThisHostsFiles(@TempDir Path host) throws Exception {
        Files.writeString(host.resolve("secret.txt"), "recipe-ci-backup-0a1b2c3d4e5f\n");
        Files.createDirectories(dir.resolve("db"));
        // What docker cp makes of a link the app left in its volume: the link itself, pointing wherever it pointed.
        Files.createSymbolicLink(dir.resolve("db/0"), host.resolve("secret.txt"));
        Files.createSymbolicLink(dir.resolve("db/1"), host);

        assertThat(snapshot().holds("recipe-ci-backup-0a1b2c3d4e5f"))
                .as("a host file reached through a link of the snapshot")
                .isFalse();
    }

    @Test
    void theEntriesThatHoldNoData_anEmptyDumpAndAnEmptyDirectory() throws Exception {
        Path dump = Files.createDirectories(dir.resolve("db")).resolve("0");
        Files.write(dump, new byte[0]);
        Path uploads = Files.createDirectories(dir.resolve("app/1/sub"));
        Path config = Files.createDirectories(dir.resolve("app/2"));
        Files.writeString(config.resolve("app.ini"), "x=1\n");
        Snapshot snapshot = new Snapshot(
                "snapshot-1",
                dir,
                List.of(
                        new Snapshot.Entry("s_db", "/backup/dump.sql", dump),
                        new Snapshot.Entry("s_app", "/uploads", uploads.getParent()),
                        new Snapshot.Entry("s_app", "/etc/app", config)));

        assertThat(snapshot.emptyEntries())
                .containsExactly("s_db: /backup/dump.sql is an empty file", "s_app: /uploads is an empty directory");
    }

    private Snapshot snapshot() {
        return new Snapshot("snapshot-1", dir, List.of());
    }
}
