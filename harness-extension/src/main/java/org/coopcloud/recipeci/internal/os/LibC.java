package org.coopcloud.recipeci.internal.os;

import jnr.ffi.LibraryLoader;

/** The few libc calls jnr-posix does not wrap. */
public interface LibC {
    int PR_SET_PDEATHSIG = 1;
    long SIG_DFL = 0;
    long SIG_IGN = 1;

    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    /** signal(2): sets a disposition, returns the previous one (SIG_DFL, SIG_IGN or a handler address). */
    long signal(int signum, long handler);

    static LibC get() {
        return Holder.LIBC;
    }

    final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

        private Holder() {}
    }
}
