package org.coopcloud.recipeci.internal.log;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.coopcloud.recipeci.internal.secret.RunSecrets;

/**
 * The entrypoint's stdout and stderr: every line is redacted of the run's secret values before it reaches the CI
 * console, and mirrored (redacted) into {@code logs/output.log}. A line that needed redacting means a test or a
 * library printed a secret: {@link #secretPrinted()} turns the run's {@code no_secret_leak} flag false.
 */
public final class ConsoleTee {
    private final RunSecrets secrets;
    private final AtomicBoolean secretPrinted = new AtomicBoolean();
    private volatile OutputStream mirror;

    private ConsoleTee(RunSecrets secrets) {
        this.secrets = secrets;
    }

    /** Replaces System.out and System.err with streams that redact {@code secrets}. */
    public static ConsoleTee install(RunSecrets secrets) {
        ConsoleTee tee = new ConsoleTee(secrets);
        System.setOut(
                new PrintStream(tee.new Lines(new FileOutputStream(FileDescriptor.out)), true, StandardCharsets.UTF_8));
        System.setErr(
                new PrintStream(tee.new Lines(new FileOutputStream(FileDescriptor.err)), true, StandardCharsets.UTF_8));
        return tee;
    }

    /** From now on, lines are also appended to {@code file}. */
    public void mirrorTo(Path file) {
        try {
            Files.createDirectories(file.getParent());
            mirror = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("[recipe-ci] cannot write " + file + ": " + e.getMessage());
        }
    }

    public boolean secretPrinted() {
        return secretPrinted.get();
    }

    /** One of the two streams: collects a line, then redacts it and writes it to the console and the mirror. */
    private final class Lines extends OutputStream {
        private final OutputStream console;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(OutputStream console) {
            this.console = console;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(bytes[i]);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            emit();
            console.flush();
        }

        private void emit() throws IOException {
            if (line.size() == 0) {
                return;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            String redacted = secrets.redact(text);
            if (!redacted.equals(text)) {
                secretPrinted.set(true);
            }
            byte[] out = redacted.getBytes(StandardCharsets.UTF_8);
            IOException consoleGone = null;
            try {
                console.write(out);
            } catch (IOException e) {
                // Under Maven the console is a pipe to the Maven JVM, which exits at once on SIGTERM while the run
                // still tears down: the file must keep the rest of the run's output all the same.
                consoleGone = e;
            }
            OutputStream m = mirror;
            if (m != null) {
                synchronized (ConsoleTee.this) {
                    try {
                        m.write(out);
                        m.flush();
                    } catch (IOException e) {
                        // A full or failing disk: the console still has every line; the file stops here.
                        mirror = null;
                    }
                }
            }
            if (consoleGone != null) {
                throw consoleGone;
            }
        }
    }
}
