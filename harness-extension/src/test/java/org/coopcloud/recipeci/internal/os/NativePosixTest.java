package org.coopcloud.recipeci.internal.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jffi binding against an independent one (jnr-posix, test scope only) and the kernel: same answers, errno kept
 * per call, and locks that another binding sees.
 */
class NativePosixTest {
    private static final POSIX REFERENCE = POSIXFactory.getNativePOSIX();
    private static final int ENOENT = 2;
    private static final int ESRCH = 3;

    @TempDir
    Path dir;

    private int fd = -1;
    private int otherFd = -1;

    @AfterEach
    void closeFds() {
        if (fd >= 0) {
            NativePosix.close(fd);
        }
        if (otherFd >= 0) {
            REFERENCE.close(otherFd);
        }
    }

    @Test
    void identityCallsAgreeWithTheReferenceBinding() {
        assertThat(NativePosix.getppid())
                .isEqualTo(REFERENCE.getppid())
                .isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
        assertThat(NativePosix.getuid()).isEqualTo(REFERENCE.getuid());
    }

    @Test
    void aFailedCallLeavesItsErrno() {
        assertThat(NativePosix.open(dir.resolve("missing"), NativePosix.O_RDONLY | NativePosix.O_CLOEXEC, 0))
                .isEqualTo(-1);
        assertThat(NativePosix.errno()).isEqualTo(ENOENT);
        assertThat(NativePosix.kill(Integer.MAX_VALUE - 1, 0)).isEqualTo(ESRCH);
        assertThat(NativePosix.kill(ProcessHandle.current().pid(), 0)).isZero();
    }

    @Test
    void aLockTakenHereIsHeldForAnotherBinding_andFreedByClose() throws Exception {
        Path file = dir.resolve("a.lock");
        fd = NativePosix.open(file, NativePosix.O_RDWR | NativePosix.O_CREAT | NativePosix.O_CLOEXEC, 0644);
        assertThat(fd).isNotNegative();
        assertThat(Files.exists(file)).isTrue();
        assertThat(NativePosix.flock(fd, NativePosix.LOCK_EX | NativePosix.LOCK_NB))
                .isZero();

        otherFd = REFERENCE.open(file.toString(), NativePosix.O_RDWR, 0);
        assertThat(REFERENCE.flock(otherFd, NativePosix.LOCK_EX | NativePosix.LOCK_NB))
                .isEqualTo(-1);
        assertThat(REFERENCE.errno()).isEqualTo(NativePosix.EWOULDBLOCK);

        assertThat(NativePosix.close(fd)).isZero();
        fd = -1;
        assertThat(REFERENCE.flock(otherFd, NativePosix.LOCK_EX | NativePosix.LOCK_NB))
                .isZero();
        int mine = NativePosix.open(file, NativePosix.O_RDWR | NativePosix.O_CLOEXEC, 0);
        try {
            assertThat(NativePosix.flock(mine, NativePosix.LOCK_EX | NativePosix.LOCK_NB))
                    .isEqualTo(-1);
            assertThat(NativePosix.errno()).isEqualTo(NativePosix.EWOULDBLOCK);
        } finally {
            NativePosix.close(mine);
        }
    }

    @Test
    void sameFileFollowsTheInode_throughLibcAndThroughTheJdk() throws Exception {
        Path file = dir.resolve("b.lock");
        fd = NativePosix.open(file, NativePosix.O_RDWR | NativePosix.O_CREAT | NativePosix.O_CLOEXEC, 0644);
        assertThat(NativePosix.sameFile(fd, file)).isTrue();
        assertThat(NativePosix.sameFileThroughTheJdk(fd, file)).isTrue();

        assertThat(NativePosix.unlink(file)).isZero();
        assertThat(NativePosix.sameFile(fd, file)).as("unlinked").isFalse();
        assertThat(NativePosix.sameFileThroughTheJdk(fd, file)).as("unlinked").isFalse();

        Files.createFile(file);
        assertThat(NativePosix.sameFile(fd, file)).as("replaced by a new file").isFalse();
        assertThat(NativePosix.sameFileThroughTheJdk(fd, file))
                .as("replaced by a new file")
                .isFalse();
        assertThat(NativePosix.sameFile(fd, dir)).as("another file").isFalse();
    }
}
