package org.coopcloud.recipeci.recipes.hello;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of the live processes of the host, read from /proc: zombies do not count (they hold nothing but a pid,
 * and a signal-0 probe cannot tell them from the living).
 */
record LiveProcesses(List<LiveProcesses.Entry> entries) {
    /** One live process: its ids and its command line (arguments joined by spaces). */
    record Entry(long pid, long ppid, long pgrp, String cmdline) {
        @Override
        public String toString() {
            return pid + " (ppid " + ppid + ", pgrp " + pgrp + ") "
                    + (cmdline.length() > 300 ? cmdline.substring(0, 300) + "…" : cmdline);
        }
    }

    static LiveProcesses now() {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                read(proc).ifPresent(entries::add);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return new LiveProcesses(List.copyOf(entries));
    }

    Optional<Entry> pid(long pid) {
        return entries.stream().filter(e -> e.pid() == pid).findFirst();
    }

    List<Entry> inGroup(long pgid) {
        return entries.stream().filter(e -> e.pgrp() == pgid).toList();
    }

    /** Processes whose command line contains any of {@code needles}. */
    List<Entry> naming(List<String> needles) {
        return entries.stream()
                .filter(e -> needles.stream().anyMatch(e.cmdline()::contains))
                .toList();
    }

    private static Optional<Entry> read(Path proc) {
        String stat;
        byte[] cmdline;
        try {
            stat = Files.readString(proc.resolve("stat"), UTF_8);
            cmdline = Files.readAllBytes(proc.resolve("cmdline"));
        } catch (IOException e) {
            return Optional.empty(); // gone meanwhile
        }
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (fields[0].equals("Z") || fields[0].equals("X")) {
            return Optional.empty();
        }
        return Optional.of(new Entry(
                Long.parseLong(stat.substring(0, stat.indexOf(' '))),
                Long.parseLong(fields[1]),
                Long.parseLong(fields[2]),
                new String(cmdline, UTF_8).replace('\0', ' ').strip()));
    }
}
