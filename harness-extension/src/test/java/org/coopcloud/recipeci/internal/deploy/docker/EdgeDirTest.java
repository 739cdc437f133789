package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's host directory: made private, locked while the bridge may live, gone without a trace afterwards. */
class EdgeDirTest {
    private static final StackName STACK = new StackName("hell-abc123_ci_example_org");

    @TempDir
    Path tmp;

    @Test
    void aClaimedDirectoryIsPrivateAndLocked_andClosingLeavesNothing() throws Exception {
        Path base = tmp.resolve("locks").resolve("recipe-ci-edge");
        EdgeDir dir = EdgeDir.claim(base, STACK, 2);
        Files.createFile(dir.socket(0));
        Files.createFile(dir.socket(1));

        assertThat(dir.path()).isEqualTo(EdgeDir.of(base, STACK)).hasParent(base);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path())))
                .isEqualTo("rwx------");
        assertThat(AppLock.probe(dir.path().resolve(EdgeDir.LOCK)).outcome())
                .as("the deadman lock is held (a second open file description cannot take it)")
                .isEqualTo(AppLock.Outcome.HELD);

        dir.close();

        assertThat(base)
                .as("the directory, its sockets, its lock and the empty base are gone")
                .doesNotExist();
        assertThat(base.getParent()).exists();
    }

    @Test
    void anotherAppsDirectoryKeepsTheBase() throws Exception {
        Path base = tmp.resolve("recipe-ci-edge");
        EdgeDir other = EdgeDir.claim(base, new StackName("note-def456_ci_example_org"), 1);
        EdgeDir.claim(base, STACK, 1).close();

        assertThat(base).exists();
        assertThat(other.path()).exists();
        other.close();
        assertThat(base).doesNotExist();
    }

    @Test
    void aDirectoryWhoseLockIsHeldIsNoOrphan_andIsRemovedOnceItIsFree() throws Exception {
        Path base = tmp.resolve("recipe-ci-edge");
        EdgeDir live = EdgeDir.claim(base, STACK, 1);
        Files.createFile(live.socket(0));

        assertThat(EdgeDir.removeOrphan(live.path()))
                .hasValueSatisfying(why -> assertThat(why).contains("owner.lock is held"));
        assertThat(live.socket(0)).exists();

        // The holder died without closing (its lock is gone with it): what it left is removed.
        Path left = live.path();
        live.close();
        Files.createDirectories(left);
        Files.createFile(left.resolve("0.sock"));
        Files.createFile(left.resolve(EdgeDir.LOCK));

        assertThat(EdgeDir.removeOrphan(left)).isEmpty();
        assertThat(base).doesNotExist();
    }

    @Test
    void socketPathsLongerThanAUnixSocketMayHaveAreAConfigurationError() {
        Path base = tmp.resolve("x".repeat(120));

        assertThatThrownBy(() -> EdgeDir.claim(base, STACK, 1))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.lock-dir");
        assertThat(base).doesNotExist();
    }

    @Test
    void twoAppsClaimingAndClosingAtOnce_neverLoseTheBaseUnderEachOther() throws Exception {
        // The last directory to close removes the base; another run's claim between its createDirectories(base)
        // and its createDirectory(dir) must not then fail for a missing parent.
        Path base = tmp.resolve("recipe-ci-edge");
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (String stack : List.of("hell-aaa111_ci_example_org", "note-bbb222_ci_example_org")) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < 3000 && failures.isEmpty(); i++) {
                    try {
                        EdgeDir.claim(base, new StackName(stack), 1).close();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(failures).isEmpty();
        assertThat(base).doesNotExist();
    }
}
