package org.coopcloud.recipeci.internal.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files that say how a run ended — {@code results.json}, {@code summary.md}, {@code exit-code} — written so that
 * they are there whatever happens to the disk. At the start of a run the previous results of its run id are
 * removed (a rerun starts from an empty results state), provisional results saying "did not finish" are written, and
 * room for the final ones is reserved: {@value #RESERVE} holds {@value #RESERVE_BYTES} bytes, freed just before the
 * final files are written, so that a disk that fills up during the run still takes them. Each file is replaced
 * atomically (a new file renamed over the old one); when even that fails, it is overwritten in place.
 */
public final class ResultsFiles {
    static final String RESERVE = ".results-reserve";
    static final int RESERVE_BYTES = 2 * 1024 * 1024;

    /** What a rerun must not find of the run before it. */
    private static final List<String> STALE =
            List.of("exit-code", "results.json", "summary.md", "reports", "evidence", "logs", "state", "snapshots");

    private ResultsFiles() {}

    /**
     * Removes what an earlier run of the same run id left (its exit code, results, reports, evidence, logs, state) and
     * reserves room for this run's results. Call it holding the run directory, before anything is written into it.
     *
     * @throws IOException when the directory cannot be cleared
     */
    public static void reset(Path runDir) throws IOException {
        for (String name : STALE) {
            deleteTree(runDir.resolve(name));
        }
        reserve(runDir);
    }

    /**
     * Frees the reserved room; the final files are written next. Never throws: on a healthy disk there is room
     * anyway.
     */
    public static void release(Path runDir) {
        try {
            Files.deleteIfExists(runDir.resolve(RESERVE));
        } catch (IOException e) {
            // nothing reserved, or nothing to free
        }
    }

    /** Writes {@code exit-code} ({@code <code>\n}). */
    public static void writeExitCode(Path runDir, int code) throws IOException {
        replace(runDir.resolve("exit-code"), (code + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code file} by {@code content}: atomically when the disk allows, else in place. */
    static void replace(Path file, byte[] content) throws IOException {
        Path next = file.resolveSibling("." + file.getFileName() + ".next");
        try {
            Files.write(next, content);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException atomic) {
            Files.deleteIfExists(next);
            // The old file's blocks are reused: this needs no new room on a full disk when it is not shorter.
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                out.write(content);
                out.flush();
                channel.truncate(content.length);
            } catch (IOException inPlace) {
                inPlace.addSuppressed(atomic);
                throw inPlace;
            }
        }
    }

    private static void reserve(Path runDir) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(runDir.resolve(RESERVE))) {
            for (int written = 0; written < RESERVE_BYTES; written += block.length) {
                out.write(block); // real blocks: a sparse file would reserve nothing
            }
        } catch (IOException e) {
            // A disk already that full will say so again; the results are still tried at the end.
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
