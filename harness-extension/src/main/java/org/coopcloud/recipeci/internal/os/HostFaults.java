package org.coopcloud.recipeci.internal.os;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.coopcloud.recipeci.HostFaultException;

/**
 * Tells the host's failures from the recipe's. A failure is the host's when the disk is full or read-only, the disk
 * or the filesystem fails, or the Docker daemon cannot be reached or does not answer in time — whatever the recipe
 * does. Judged from the exception chain and the words of the tools (git's and docker's stderr travel in messages).
 */
public final class HostFaults {
    /** What the kernel, git and docker say when the host, not the request, is at fault. */
    private static final List<String> SIGNS = List.of(
            "no space left on device",
            // git's words for ENOSPC ("sha1 file '…/index.lock' write error. Out of diskspace")
            "out of diskspace",
            "disk quota exceeded",
            "read-only file system",
            "input/output error",
            "cannot connect to the docker daemon",
            "is the docker daemon running",
            "error during connect",
            "docker.sock: connect",
            "process group killed)");

    private HostFaults() {}

    /**
     * The host's cause behind {@code failure}, if it is one: the first {@link HostFaultException} in its chain, else
     * the first message that carries a host's sign.
     */
    public static Optional<String> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HostFaultException) {
                return Optional.of(String.valueOf(t.getMessage()));
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<String> sign = sign(t.getMessage());
            if (sign.isPresent()) {
                return sign;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                Optional<String> inner = in(suppressed);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    /** The line of {@code text} that carries a host's sign, if any. */
    public static Optional<String> sign(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return text.lines()
                .filter(line -> {
                    String lower = line.toLowerCase(Locale.ROOT);
                    return SIGNS.stream().anyMatch(lower::contains);
                })
                .map(String::strip)
                .findFirst();
    }

    /** An I/O failure on the harness's own files: always the host's (its disk, its permissions). */
    public static HostFaultException io(String what, IOException e) {
        return new HostFaultException(what + ": " + e.getMessage() + " (the host's disk or filesystem)", e);
    }

    /** {@code failure} as a host fault when it is one, else itself. */
    public static RuntimeException classify(RuntimeException failure) {
        if (failure instanceof HostFaultException) {
            return failure;
        }
        return in(failure)
                .<RuntimeException>map(cause -> new HostFaultException("the host failed: " + cause, failure))
                .orElse(failure);
    }
}
