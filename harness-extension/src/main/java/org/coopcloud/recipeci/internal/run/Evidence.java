package org.coopcloud.recipeci.internal.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.AppView;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.coopcloud.recipeci.internal.text.FailureText;

/**
 * What a maintainer needs to understand a failed run, saved before teardown removes it: why the deploy failed, in
 * full (docker's reason — a deploy refused for a missing network leaves no task to show it), the task table
 * ({@code docker stack ps --no-trunc}), each service's last log lines, and the app's env — all redacted.
 */
final class Evidence {
    private Evidence() {}

    /**
     * @param failure why the deploy (or else the first tier operation) failed, when one did: saved whole as
     *     {@code failure.txt}
     */
    static void save(
            Path dir, AppInstance app, AppView view, RunSecrets secrets, RunLog log, Optional<Throwable> failure) {
        try {
            Files.createDirectories(dir);
            if (failure.isPresent()) {
                write(dir.resolve("failure.txt"), FailureText.whole(failure.get()) + "\n", secrets);
            }
            write(dir.resolve("tasks.txt"), view.taskTable(app.domain()), secrets);
            for (var service : view.services(app.domain())) {
                String shortName = service.name().substring(app.stack().value().length() + 1);
                write(dir.resolve("logs-" + shortName + ".txt"), view.logs(app.domain(), shortName, 500), secrets);
            }
            StringBuilder env = new StringBuilder();
            app.env().asMap().forEach((k, v) -> env.append(k)
                    .append('=')
                    .append(sensitive(k) ? "[redacted]" : v)
                    .append('\n'));
            write(dir.resolve("env.txt"), env.toString(), secrets);
            log.info(app.domain() + ": evidence saved in " + dir);
        } catch (IOException | RuntimeException e) {
            log.warn(app.domain() + ": could not save all evidence in " + dir + ": " + e.getMessage());
        }
    }

    /** The app's task table to append to a failure message, unless the message already shows one. */
    static String taskTableUnlessShown(DeployedApp app, RecipeCiException e) {
        return String.valueOf(e.getMessage()).contains("tasks:") ? "" : "\ntasks:\n" + app.taskTable();
    }

    private static boolean sensitive(String key) {
        return key.matches(".*(PASSWORD|SECRET|TOKEN|KEY)(_.*)?") && !key.matches("SECRET_.*_VERSION");
    }

    private static void write(Path file, String text, RunSecrets secrets) throws IOException {
        Files.writeString(file, secrets.redact(text), StandardCharsets.UTF_8);
    }
}
