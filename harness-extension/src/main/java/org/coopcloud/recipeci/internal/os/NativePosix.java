package org.coopcloud.recipeci.internal.os;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.coopcloud.recipeci.RecipeConfigurationException;

/**
 * The libc calls recipe-ci makes (flock, kill, prctl, signal and a few more), bound through jffi, the jnr project's
 * low-level call layer. Locks, process groups and signals need the real syscalls: a Java fallback would silently change
 * their semantics, so a process that cannot bind them is refused.
 *
 * <p>Not jnr-posix, which sits on the same layer: its binding of some three hundred libc functions is generated as
 * bytecode on first use, 0.25–0.6 s of CPU in every JVM (measured, docs/operations.md#benchmarks), and this harness
 * needs eleven. Each function here is one symbol lookup and one call descriptor. Every call that can fail saves its
 * errno, which {@link #errno()} reads on the same thread.
 */
public final class NativePosix {
    public static final int SIGTERM = 15;
    public static final int SIGKILL = 9;
    public static final int SIGINT = 2;
    public static final int SIGHUP = 1;

    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 0x2;
    public static final int O_CREAT = 0x40;
    public static final int O_CLOEXEC = 0x80000;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;
    public static final int EWOULDBLOCK = 11;

    public static final int PR_SET_PDEATHSIG = 1;
    public static final long SIG_DFL = 0;
    public static final long SIG_IGN = 1;

    private NativePosix() {}

    /** One bound function: its address and how to call it. */
    private record Fn(long address, CallContext context) {
        static Fn of(Library libc, String name, Type returns, Type... params) {
            Fn fn = orNone(libc, name, returns, params);
            if (fn == null) {
                throw unusable("libc has no " + name + "()");
            }
            return fn;
        }

        static Fn orNone(Library libc, String name, Type returns, Type... params) {
            long address = libc.getSymbolAddress(name);
            return address == 0
                    ? null
                    : new Fn(address, CallContext.getCallContext(returns, params, CallingConvention.DEFAULT, true));
        }
    }

    /** The bound calls; made once, on first use. */
    private record Calls(
            Invoker invoker,
            MemoryIO memory,
            Fn open,
            Fn close,
            Fn flock,
            Fn unlink,
            Fn kill,
            Fn getppid,
            Fn getuid,
            Fn prctl,
            Fn signal,
            Fn fstat,
            Fn stat) {
        static Calls bind() {
            Library libc;
            try {
                libc = Library.getDefault();
            } catch (RuntimeException | LinkageError e) {
                throw unusable("jffi could not load (" + e + ")");
            }
            if (libc == null) {
                throw unusable("no handle on the process's libc (" + Library.getLastError() + ")");
            }
            // fstat and stat are symbols from glibc 2.33 on; without them, or on a struct stat layout not known
            // here, the identity check asks the JDK.
            boolean statLayoutKnown =
                    STAT_LAYOUT_ARCHS.contains(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));
            return new Calls(
                    Invoker.getInstance(),
                    MemoryIO.getInstance(),
                    Fn.of(libc, "open", Type.SINT, Type.POINTER, Type.SINT, Type.SINT),
                    Fn.of(libc, "close", Type.SINT, Type.SINT),
                    Fn.of(libc, "flock", Type.SINT, Type.SINT, Type.SINT),
                    Fn.of(libc, "unlink", Type.SINT, Type.POINTER),
                    Fn.of(libc, "kill", Type.SINT, Type.SINT, Type.SINT),
                    Fn.of(libc, "getppid", Type.SINT),
                    Fn.of(libc, "getuid", Type.UINT),
                    Fn.of(libc, "prctl", Type.SINT, Type.SINT, Type.SLONG, Type.SLONG, Type.SLONG, Type.SLONG),
                    Fn.of(libc, "signal", Type.SLONG, Type.SINT, Type.SLONG),
                    statLayoutKnown ? Fn.orNone(libc, "fstat", Type.SINT, Type.SINT, Type.POINTER) : null,
                    statLayoutKnown ? Fn.orNone(libc, "stat", Type.SINT, Type.POINTER, Type.POINTER) : null);
        }
    }

    private static final class Holder {
        static final Calls CALLS;
        static final RecipeConfigurationException FAILURE;

        static {
            Calls calls = null;
            RecipeConfigurationException failure = null;
            try {
                calls = Calls.bind();
            } catch (RecipeConfigurationException e) {
                failure = e;
            } catch (RuntimeException | LinkageError e) {
                failure = unusable(e.toString());
            }
            CALLS = calls;
            FAILURE = failure;
        }
    }

    private static Calls calls() {
        if (Holder.FAILURE != null) {
            throw Holder.FAILURE;
        }
        return Holder.CALLS;
    }

    /**
     * struct stat starts with {@code dev_t st_dev; ino_t st_ino;}, eight bytes each, on x86-64 and AArch64 (the
     * machines this runs on).
     */
    private static final Set<String> STAT_LAYOUT_ARCHS = Set.of("amd64", "x86_64", "aarch64");

    private static final int STAT_SIZE = 256;

    /**
     * The errno saved after this thread's last call through this class (jffi saves it after every call, successful
     * ones too): read it right after a call that failed.
     */
    public static int errno() {
        return LastError.getInstance().get();
    }

    /**
     * A path as libc takes it: a NUL-terminated copy in native memory, made once for the several calls on one file
     * and freed by {@link #close()}.
     */
    public static final class NativePath implements AutoCloseable {
        private final Path path;
        private long address;

        private NativePath(Path path) {
            this.path = path;
            byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
            MemoryIO memory = calls().memory();
            address = memory.allocateMemory(bytes.length + 1, false);
            memory.putByteArray(address, bytes, 0, bytes.length);
            memory.putByte(address + bytes.length, (byte) 0);
        }

        public static NativePath of(Path path) {
            return new NativePath(path);
        }

        private long address() {
            if (address == 0) {
                throw new IllegalStateException("native copy of " + path + " already freed");
            }
            return address;
        }

        @Override
        public void close() {
            if (address != 0) {
                calls().memory().freeMemory(address);
                address = 0;
            }
        }
    }

    /** open(2); returns the fd, or -1 with {@link #errno()} set. */
    public static int open(Path path, int flags, int mode) {
        try (NativePath name = NativePath.of(path)) {
            return open(name, flags, mode);
        }
    }

    public static int open(NativePath path, int flags, int mode) {
        Calls c = calls();
        return (int) c.invoker().invokeN3(c.open().context(), c.open().address(), path.address(), flags, mode);
    }

    public static int close(int fd) {
        Calls c = calls();
        return (int) c.invoker().invokeN1(c.close().context(), c.close().address(), fd);
    }

    /** flock(2); 0, or -1 with {@link #errno()} set ({@link #EWOULDBLOCK}: another holder). */
    public static int flock(int fd, int operation) {
        Calls c = calls();
        return (int) c.invoker().invokeN2(c.flock().context(), c.flock().address(), fd, operation);
    }

    public static int unlink(Path path) {
        try (NativePath name = NativePath.of(path)) {
            return unlink(name);
        }
    }

    public static int unlink(NativePath path) {
        Calls c = calls();
        return (int) c.invoker().invokeN1(c.unlink().context(), c.unlink().address(), path.address());
    }

    /** kill(2); returns 0 or the errno. Negative pids address a process group. */
    public static int kill(long pid, int signal) {
        Calls c = calls();
        int rc = (int) c.invoker().invokeN2(c.kill().context(), c.kill().address(), Math.toIntExact(pid), signal);
        return rc == 0 ? 0 : errno();
    }

    public static long getppid() {
        Calls c = calls();
        return c.invoker().invokeN0(c.getppid().context(), c.getppid().address());
    }

    public static long getuid() {
        Calls c = calls();
        return c.invoker().invokeN0(c.getuid().context(), c.getuid().address()) & 0xffffffffL;
    }

    /** prctl(2); 0, or -1 with {@link #errno()} set. */
    public static int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        Calls c = calls();
        return (int) c.invoker().invokeN5(c.prctl().context(), c.prctl().address(), option, arg2, arg3, arg4, arg5);
    }

    /** signal(2): sets a disposition ({@link #SIG_DFL}, {@link #SIG_IGN}); returns the previous one. */
    public static long signal(int signum, long handler) {
        Calls c = calls();
        return c.invoker().invokeN2(c.signal().context(), c.signal().address(), signum, handler);
    }

    /**
     * Whether the open file {@code fd} is the file {@code path} names now (same device and inode). False when the
     * path is gone or cannot be read.
     */
    public static boolean sameFile(int fd, Path path) {
        try (NativePath name = NativePath.of(path)) {
            return sameFile(fd, name);
        }
    }

    public static boolean sameFile(int fd, NativePath path) {
        Calls c = calls();
        if (c.fstat() == null || c.stat() == null) {
            return sameFileThroughTheJdk(fd, path.path);
        }
        MemoryIO memory = c.memory();
        long open = memory.allocateMemory(2 * STAT_SIZE, false);
        long named = open + STAT_SIZE;
        try {
            if (c.invoker().invokeN2(c.fstat().context(), c.fstat().address(), fd, open) != 0
                    || c.invoker().invokeN2(c.stat().context(), c.stat().address(), path.address(), named) != 0) {
                return false;
            }
            return memory.getLong(open) == memory.getLong(named)
                    && memory.getLong(open + 8) == memory.getLong(named + 8);
        } finally {
            memory.freeMemory(open);
        }
    }

    /**
     * The same check through /proc/self/fd, whose entry stats as the open file itself, even once unlinked. The path
     * is followed as open(2) follows it. False when either side cannot be read.
     */
    static boolean sameFileThroughTheJdk(int fd, Path path) {
        try {
            var open = Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:dev,ino");
            var named = Files.readAttributes(path, "unix:dev,ino");
            return open.get("dev").equals(named.get("dev")) && open.get("ino").equals(named.get("ino"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static RecipeConfigurationException unusable(String why) {
        return new RecipeConfigurationException("recipe-ci cannot call libc: " + why + " — it needs real flock(2),"
                + " kill(2) and prctl(2): run it on Linux with glibc, in a JVM allowed to load native code");
    }
}
