import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coopcloud.recipeci.internal.lock.Janitor;
import org.coopcloud.recipeci.internal.lock.RunnerId;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.run.AppDomains;

/**
 * The janitor's sweep over a lock directory of N lockfiles of dead runs (no app behind them, none held), in a fresh
 * JVM as at a run's start: the time from just before {@code sweep()} to its return (what a run waits for), and to the
 * end of the tidy that unlinks the N lockfiles (which a run leaves to a thread of its own), the first native call
 * included. Prints "janitor: N lockfiles: sweep X ms, sweep and tidy Y ms". Run by {@code bench/run};
 * bench/janitor-sweep.py is the baseline.
 */
public final class JanitorSweep {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        for (int i = 0; i < n; i++) {
            Files.createFile(dir.resolve(String.format("cc-ci-app-%04d-0abcde.ci.example.org.lock", i)));
        }
        RunLog quiet = new RunLog(new PrintStream(OutputStream.nullOutputStream()), Optional.empty());
        Janitor janitor = new Janitor(
                RunnerId.of(dir),
                AppDomains.runAppPattern("ci.example.org"),
                Duration.ofHours(2),
                Set::of,
                apps -> Map.of(),
                app -> List.of(),
                quiet);
        long start = System.nanoTime();
        Janitor.Report report = janitor.sweep();
        long sweep = System.nanoTime() - start;
        List<Path> tidied = janitor.tidy(report);
        long total = System.nanoTime() - start;
        if (tidied.size() != n) {
            throw new IllegalStateException("tidied " + tidied.size() + " of " + n);
        }
        // The sweep is what a run waits for; the tidy runs on a thread of its own alongside the run.
        System.out.printf("janitor: %d lockfiles: sweep %.3f ms, sweep and tidy %.3f ms%n", n, sweep / 1e6, total / 1e6);
    }
}
