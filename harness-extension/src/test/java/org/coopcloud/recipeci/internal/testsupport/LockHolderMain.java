package org.coopcloud.recipeci.internal.testsupport;

import java.nio.file.Path;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.coopcloud.recipeci.internal.log.RunLog;

/**
 * Holds a domain's app lock until killed: {@code LockHolderMain <lock dir> <domain> [spawn-child]}. Prints
 * {@code LOCKED <pid>} once it holds the lock; with {@code spawn-child} it first starts a {@code sleep} child (to
 * prove the lock fd does not leak into children) and prints {@code CHILD <pid>}.
 */
public final class LockHolderMain {
    private LockHolderMain() {}

    public static void main(String[] args) throws Exception {
        AppLock lock = AppLock.acquire(Path.of(args[0]), new AppDomain(args[1]), RunLog.consoleOnly());
        if (args.length > 2 && args[2].equals("spawn-child")) {
            Process child = new ProcessBuilder("sleep", "300").start();
            System.out.println("CHILD " + child.pid());
        }
        System.out.println("LOCKED " + ProcessHandle.current().pid() + " " + lock.path());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
