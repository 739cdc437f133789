package org.coopcloud.recipeci.internal.deploy.abra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.internal.deploy.abra.AbraCli.Call;
import org.coopcloud.recipeci.internal.deploy.docker.Swarm;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.secret.RunSecrets;

/**
 * Removes an app through abra — undeploy, volumes, secrets, then the app's config — and proves it through docker.
 * Each abra step runs only for what exists, so a half-created app or a janitor's orphan takes only the steps it
 * needs. abra needs the app's env file to know the app; without it, when the undeploy fails (nothing after it could
 * work on a deployed app), or when abra leaves something behind, the docker teardown removes the rest, with a
 * warning naming what abra left.
 */
final class AbraTeardown {
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);

    private final AbraCli abra;
    private final Swarm swarm;
    private final RunSecrets secrets;
    private final RunLog log;
    private final Function<AppDomain, Path> envFile;

    AbraTeardown(AbraCli abra, Swarm swarm, RunLog log, RunSecrets secrets, Function<AppDomain, Path> envFile) {
        this.secrets = secrets;
        this.abra = abra;
        this.swarm = swarm;
        this.log = log;
        this.envFile = envFile;
    }

    /** @return what is left of the app; empty when the teardown is clean */
    List<String> run(AppDomain domain) {
        try {
            // abra knows nothing of recipe-ci's bridge to the app: it goes first, through docker.
            swarm.closeFrontDoor(domain);
        } catch (RuntimeException e) {
            log.warn(domain + ": closing the bridge failed, going on: " + e.getMessage());
        }
        List<String> present = swarm.leftovers(domain);
        if (present.isEmpty()) {
            return present;
        }
        if (!Files.exists(envFile.apply(domain))) {
            log.info(domain + ": abra does not know the app (no env file) — removing what is left through docker");
        } else if (has(present, "service ")
                && !step(domain, Call.of("undeploy", STEP_TIMEOUT).args(domain.value()))) {
            // Still deployed: abra would refuse the rest, and waiting for containers a live service restarts is
            // time lost (over a minute, ending in a forced removal the service undoes).
            log.info(domain + ": still deployed — removing it through docker");
        } else {
            abraSteps(domain, present);
        }
        List<String> left = swarm.leftovers(domain);
        if (left.isEmpty()) {
            return left;
        }
        log.warn(domain + ": abra left " + String.join(", ", left) + " — removing it through docker");
        return swarm.teardown(domain);
    }

    /** After the undeploy: the containers gone, then volumes, secrets and the app's config through abra. */
    private void abraSteps(AppDomain domain, List<String> present) {
        String app = domain.value();
        if (has(present, "service ") || has(present, "container ")) {
            try {
                swarm.awaitContainersGone(domain);
            } catch (RuntimeException e) {
                log.warn(domain + ": containers still there after abra app undeploy, going on: " + e.getMessage());
            }
        }
        if (has(present, "service ") || has(present, "container ") || has(present, "network ")) {
            try {
                // Before the volumes: the undeploy's networks linger, and a late task container would hold the
                // volumes, while swarm lets go of the tasks whose containers were removed.
                swarm.awaitStackReleased(domain);
            } catch (RuntimeException e) {
                log.warn(domain + ": swarm still held the app's tasks after the undeploy, going on: " + e.getMessage());
            }
        }
        if (has(present, "volume ")) {
            step(domain, Call.of("volume remove", STEP_TIMEOUT).flags("--force").args(app));
        }
        if (has(present, "secret ")) {
            step(domain, Call.of("secret remove", STEP_TIMEOUT).flags("--all").args(app));
        }
        step(domain, Call.of("remove", STEP_TIMEOUT).flags("--force").args(app));
    }

    /** @return whether abra did it */
    private boolean step(AppDomain domain, Call call) {
        try {
            CommandResult result = abra.run(call);
            if (!result.ok()) {
                log.warn(domain + ": abra app " + String.join(" ", call.words()) + " failed, going on: "
                        + secrets.redact(result.firstLine()));
            }
            return result.ok();
        } catch (RuntimeException e) {
            log.warn(domain + ": abra app " + String.join(" ", call.words()) + " failed, going on: " + e.getMessage());
            return false;
        }
    }

    private static boolean has(List<String> present, String kind) {
        return present.stream().anyMatch(p -> p.startsWith(kind));
    }
}
