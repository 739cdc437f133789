import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.coopcloud.recipeci.internal.lock.Janitor;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.run.AppDomains;

/**
 * The janitor's sweep over a lock directory of N lockfiles of dead runs (no app behind them, none held), in a fresh
 * JVM as at a run's start: the time from just before {@code sweep()} to its return, the first native call included.
 * Prints "janitor: N lockfiles in X ms". Run by {@code bench/run}; bench/janitor-sweep.py is the baseline.
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
                dir,
                AppDomains.runAppPattern("ci.example.org"),
                Duration.ofHours(2),
                Set::of,
                app -> List.of(),
                quiet);
        long start = System.nanoTime();
        Janitor.Report report = janitor.sweep();
        long nanos = System.nanoTime() - start;
        if (report.tidied().size() != n) {
            throw new IllegalStateException("tidied " + report.tidied().size() + " of " + n);
        }
        System.out.printf("janitor: %d lockfiles in %.1f ms%n", n, nanos / 1e6);
    }
}
