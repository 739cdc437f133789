package org.coopcloud.recipeci.internal.os;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.coopcloud.recipeci.RecipeConfigurationException;

/**
 * The one native POSIX handle of the process (jnr-posix). Locks, process groups and signals need real syscalls;
 * a Java fallback would silently change their semantics, so a non-native POSIX is refused.
 */
public final class NativePosix {
    public static final int SIGTERM = 15;
    public static final int SIGKILL = 9;
    public static final int SIGINT = 2;
    public static final int SIGHUP = 1;

    private NativePosix() {}

    private static final class Holder {
        static final POSIX POSIX = load();

        private static POSIX load() {
            POSIX posix = POSIXFactory.getNativePOSIX();
            if (!posix.isNative()) {
                throw new RecipeConfigurationException("jnr-posix could not load native libc: recipe-ci needs real"
                        + " flock(2), kill(2) and prctl(2); run on Linux with a glibc and an unrestricted JVM");
            }
            return posix;
        }
    }

    public static POSIX get() {
        return Holder.POSIX;
    }

    /** kill(2); returns 0 or the errno. Negative pids address a process group. */
    public static int kill(long pid, int signal) {
        POSIX posix = get();
        int rc = posix.kill(Math.toIntExact(pid), signal);
        return rc == 0 ? 0 : posix.errno();
    }
}
