package org.coopcloud.recipeci.internal.testsupport;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.coopcloud.recipeci.internal.jvm.ClassDataArchive;
import org.coopcloud.recipeci.internal.lifetime.Lifetime;
import org.coopcloud.recipeci.internal.log.RunLog;

/**
 * A run's end in miniature, for ClassDataArchiveIT: the archive named by {@code -Drecipeci.class-data-archive}, as
 * the entrypoint has it. Arms the lifetime guards, prints {@code IN-USE <bool>} and
 * {@code STATE <the run log's line>}, commits exit code 0 and does what the entrypoint does after a run's result
 * ({@link ClassDataArchive#afterRun}), then prints {@code DONE} and exits with the committed code.
 *
 * <p>Arguments: {@code load-all} loads every class of the class path's jars first (a long class list: a dump that
 * takes seconds); {@code red} has the run end red; {@code stop-first} sends itself SIGTERM once the code is
 * committed, before the archive is looked at.
 */
public final class ClassDataMain {
    private ClassDataMain() {}

    public static void main(String[] args) throws Exception {
        List<String> modes = List.of(args);
        if (modes.contains("load-all")) {
            loadAll();
        }
        CountDownLatch lateStop = new CountDownLatch(1);
        Lifetime lifetime = Lifetime.arm(line -> {
            System.out.println(line);
            if (line.contains("after the run finished")) {
                lateStop.countDown();
            }
        });
        Optional<Path> wanted = Optional.ofNullable(System.getProperty("recipeci.class-data-archive"))
                .filter(name -> !name.isBlank())
                .map(Path::of);
        Optional<ClassDataArchive> archive = wanted.map(ClassDataArchive::ofThisJvm);
        long loaded = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        System.out.println("IN-USE " + archive.map(ClassDataArchive::inUse).orElse(false));
        System.out.println("STATE " + archive.map(a -> a.state(loaded)).orElse("not asked for"));
        int code = lifetime.finish(0);
        if (modes.contains("stop-first")) {
            new ProcessBuilder(
                            "kill",
                            "-TERM",
                            Long.toString(ProcessHandle.current().pid()))
                    .start()
                    .waitFor();
            if (!lateStop.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the SIGTERM was not seen");
            }
        }
        ClassDataArchive.afterRun(wanted, lifetime, RunLog.consoleOnly(), !modes.contains("red"));
        lifetime.close();
        System.out.println("DONE");
        System.exit(code);
    }

    /** Loads (without initialising) every class of every jar on the class path that loads. */
    private static void loadAll() throws IOException {
        ClassLoader loader = ClassDataMain.class.getClassLoader();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                for (JarEntry e : Collections.list(jar.entries())) {
                    String name = e.getName();
                    if (name.endsWith(".class") && !name.contains("-") && !name.startsWith("META-INF")) {
                        try {
                            Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                        } catch (Throwable unloadable) {
                            // an optional dependency missing: not in the list, as in a run
                        }
                    }
                }
            }
        }
    }
}
