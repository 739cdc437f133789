package org.coopcloud.recipeci.internal.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.coopcloud.recipeci.internal.os.NativePosix;

/**
 * A child started through {@code setsid}: its pid is also its process-group id, and every descendant that does not
 * move itself elsewhere shares that group. Killing the group kills the whole tree.
 */
final class ProcessGroup {
    private static final Path PROC = Path.of("/proc");

    private final long pgid;

    ProcessGroup(long pgid) {
        this.pgid = pgid;
    }

    long pgid() {
        return pgid;
    }

    /** Waits (bounded) until the started child leads its own group, or is gone. */
    void awaitLeadership(Process process) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && process.isAlive()) {
            ProcStat stat = ProcStat.read(PROC.resolve(Long.toString(pgid)).resolve("stat"));
            if (stat == null || stat.pgrp() == pgid) {
                return;
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** SIGTERM the group, wait up to {@code grace} for it to empty, then SIGKILL. Never throws. */
    void terminate(Duration grace) {
        signal(NativePosix.SIGTERM);
        if (awaitEmpty(grace)) {
            return;
        }
        signal(NativePosix.SIGKILL);
        awaitEmpty(Duration.ofSeconds(5));
    }

    void signal(int signal) {
        // The leader by pid only when the group does not exist yet (it has not reached setsid()): a group of that id
        // can only be its own, so once it exists the leader is in it, and a second TERM would be one too many
        // (docker's CLI takes a second signal as "stop waiting, exit now").
        if (NativePosix.kill(-pgid, signal) != 0) {
            NativePosix.kill(pgid, signal);
        }
    }

    /**
     * Polls /proc until no live member is left. A signal-0 probe is no use here: zombies still answer it, and a
     * killed grandchild stays a zombie until its new parent reaps it.
     */
    boolean awaitEmpty(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (!hasLiveMember()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                // Keep tearing the group down; the caller sees the flag again.
                Thread.currentThread().interrupt();
                return !hasLiveMember();
            }
        }
    }

    boolean hasLiveMember() {
        return hasLiveMember(pgid);
    }

    /** True when /proc lists a process in group {@code pgid} that is not a zombie. */
    static boolean hasLiveMember(long pgid) {
        try {
            return !liveMembers(pgid).isEmpty();
        } catch (IOException e) {
            return true;
        }
    }

    /** The pids of the processes in group {@code pgid} that are not zombies, as /proc lists them now. */
    static SortedSet<Long> liveMembers(long pgid) throws IOException {
        SortedSet<Long> members = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                ProcStat stat = ProcStat.read(entry.resolve("stat"));
                if (stat != null && stat.pgrp() == pgid && stat.live()) {
                    members.add(stat.pid());
                }
            }
        }
        return members;
    }

    /** Whether {@code pid} names a process that is not a zombie. */
    static boolean isLive(long pid) {
        ProcStat stat = ProcStat.read(PROC.resolve(Long.toString(pid)).resolve("stat"));
        return stat != null && stat.live();
    }

    /** The fields of /proc/PID/stat this class needs. */
    record ProcStat(long pid, char state, long ppid, long pgrp) {
        /** Not a zombie (nor dead and about to vanish). */
        boolean live() {
            return state != 'Z' && state != 'X';
        }

        static ProcStat read(Path statFile) {
            String text;
            try {
                text = Files.readString(statFile);
            } catch (IOException | RuntimeException e) {
                return null; // the process went away between listing and reading
            }
            return parse(text);
        }

        /** Parses "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses, so split after the last ')'. */
        static ProcStat parse(String text) {
            int open = text.indexOf('(');
            int close = text.lastIndexOf(')');
            if (open < 0 || close < open || close + 2 >= text.length()) {
                return null;
            }
            String[] rest = text.substring(close + 2).trim().split(" ");
            if (rest.length < 3) {
                return null;
            }
            try {
                return new ProcStat(
                        Long.parseLong(text.substring(0, open).trim()),
                        rest[0].charAt(0),
                        Long.parseLong(rest[1]),
                        Long.parseLong(rest[2]));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
