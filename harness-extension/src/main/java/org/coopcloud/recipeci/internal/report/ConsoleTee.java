package org.coopcloud.recipeci.internal.report;

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
import org.coopcloud.recipeci.internal.deploy.GeneratedSecrets;

/**
 * The entrypoint's stdout and stderr: every line is redacted of the run's generated secret values before it reaches
 * the CI console, and mirrored (redacted) into {@code logs/output.log}. A line that needed redacting means a test
 * or a library printed a secret: {@link #secretPrinted()} turns the run's {@code no_secret_leak} flag false.
 */
public final class ConsoleTee extends OutputStream {
    private static final AtomicBoolean SECRET_PRINTED = new AtomicBoolean();
    private static volatile OutputStream mirror;

    private final OutputStream console;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    private ConsoleTee(OutputStream console) {
        this.console = console;
    }

    /** Replaces System.out and System.err. */
    public static void install() {
        System.setOut(new PrintStream(
                new ConsoleTee(new FileOutputStream(FileDescriptor.out)), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(
                new ConsoleTee(new FileOutputStream(FileDescriptor.err)), true, StandardCharsets.UTF_8));
    }

    /** From now on, lines are also appended to {@code file}. */
    public static void mirrorTo(Path file) {
        try {
            Files.createDirectories(file.getParent());
            mirror = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("[recipe-ci] cannot write " + file + ": " + e.getMessage());
        }
    }

    public static boolean secretPrinted() {
        return SECRET_PRINTED.get();
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
        String redacted = GeneratedSecrets.redactEverywhere(text);
        if (!redacted.equals(text)) {
            SECRET_PRINTED.set(true);
        }
        byte[] out = redacted.getBytes(StandardCharsets.UTF_8);
        IOException consoleGone = null;
        try {
            console.write(out);
        } catch (IOException e) {
            // Under Maven the console is a pipe to the Maven JVM, which exits at once on SIGTERM while the run still
            // tears down: the file must keep the rest of the run's output all the same.
            consoleGone = e;
        }
        OutputStream m = mirror;
        if (m != null) {
            synchronized (ConsoleTee.class) {
                m.write(out);
                m.flush();
            }
        }
        if (consoleGone != null) {
            throw consoleGone;
        }
    }
}
