package org.coopcloud.recipeci.internal.deploy.swarm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.AppEnv;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.AppSecret;
import org.coopcloud.recipeci.internal.deploy.AppView;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.RecipeEnv;
import org.coopcloud.recipeci.internal.deploy.Snapshot;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings;
import org.coopcloud.recipeci.internal.deploy.docker.Swarm;
import org.coopcloud.recipeci.internal.lock.Owner;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.secret.RunSecrets;

/**
 * Co-op Cloud semantics with the plain {@code docker} CLI: the app's env from {@code .env.sample}, secrets named
 * {@code <stack>_<name>_<version>}, {@code docker stack deploy} of the {@code COMPOSE_FILE} chain, convergence, and
 * a teardown that proves nothing is left.
 */
public final class SwarmDriver implements DeployDriver {
    private final Swarm swarm;
    private final RunLog log;
    private final Path serversDir;

    /**
     * @param serversDir where app env files live ({@code <home>/servers/local}), shared by runs so that a janitor
     *     sees every app
     */
    public SwarmDriver(CommandRunner runner, RunLog log, Path serversDir) {
        this(runner, log, serversDir, FrontDoorSettings.defaults());
    }

    /** @param frontDoor how test traffic reaches the apps ({@code recipeci.front-door}) and where edges live */
    public SwarmDriver(CommandRunner runner, RunLog log, Path serversDir, FrontDoorSettings frontDoor) {
        this(runner, log, serversDir, Map.of(), frontDoor, Optional.empty(), List.of());
    }

    /**
     * @param owner the run's owner: every object of its apps is labelled with it, and their env files name it
     * @param hostMounts host paths a recipe may bind-mount ({@code recipeci.host-mounts})
     */
    public SwarmDriver(
            CommandRunner runner,
            RunLog log,
            Path serversDir,
            FrontDoorSettings frontDoor,
            Optional<Owner> owner,
            List<Path> hostMounts) {
        this(runner, log, serversDir, Map.of(), frontDoor, owner, hostMounts);
    }

    /** @param dockerEnv extra environment for every docker child (tests point {@code DOCKER_HOST} elsewhere) */
    SwarmDriver(
            CommandRunner runner,
            RunLog log,
            Path serversDir,
            Map<String, String> dockerEnv,
            FrontDoorSettings frontDoor) {
        this(runner, log, serversDir, dockerEnv, frontDoor, Optional.empty(), List.of());
    }

    private SwarmDriver(
            CommandRunner runner,
            RunLog log,
            Path serversDir,
            Map<String, String> dockerEnv,
            FrontDoorSettings frontDoor,
            Optional<Owner> owner,
            List<Path> hostMounts) {
        this(
                new Swarm(runner, log, domain -> envFile(serversDir, domain), dockerEnv, frontDoor, owner, hostMounts),
                log,
                serversDir);
    }

    private SwarmDriver(Swarm swarm, RunLog log, Path serversDir) {
        this.swarm = swarm;
        this.log = log;
        this.serversDir = serversDir;
    }

    @Override
    public String name() {
        return "swarm";
    }

    @Override
    public void checkEnvironment() {
        swarm.check(name());
    }

    @Override
    public AppInstance create(RecipeSource source, AppDomain domain, Map<String, String> extra, RunSecrets secrets) {
        AppEnv env = RecipeEnv.with(RecipeEnv.fromSample(source, domain), extra);
        env = RecipeEnv.with(env, swarm.owner().map(Owner::env).orElse(Map.of()));
        Path envFile = envFile(serversDir, domain);
        List<AppSecret> declared = RecipeEnv.secrets(source, env, domain.stackName()); // refused before anything exists
        env.write(envFile);
        List<AppSecret> created = createSecrets(domain.stackName(), declared, List.of(), secrets);
        log.info(domain + ": app created (env " + envFile + "; " + describe(created) + ")");
        return new AppInstance(source.recipe(), domain, envFile, env, names(created));
    }

    @Override
    public AppInstance reconfigure(
            AppInstance app, RecipeSource source, Map<String, String> extra, RunSecrets secrets) {
        AppEnv env = RecipeEnv.upgraded(app, source, extra);
        List<AppSecret> declared = RecipeEnv.secrets(source, env, app.stack());
        env.write(app.envFile());
        List<String> all = new ArrayList<>(app.secretNames());
        List<AppSecret> created = createSecrets(app.stack(), declared, app.secretNames(), secrets);
        if (!created.isEmpty()) {
            log.info(app.domain() + ": for the upgrade, " + describe(created));
        }
        all.addAll(names(created));
        return new AppInstance(app.recipe(), app.domain(), app.envFile(), env, all);
    }

    /**
     * What the run log says of the secrets a run generated: each one's name and length — the length its
     * {@code length=} modifier asks for, else recipe-ci's default — never a value.
     */
    static String describe(List<AppSecret> generated) {
        if (generated.isEmpty()) {
            return "no secrets generated";
        }
        List<String> each = new ArrayList<>();
        for (AppSecret secret : generated) {
            each.add(secret.name() + " " + secret.generatedLength() + " characters"
                    + (secret.length().isPresent()
                            ? " (length=" + secret.length().getAsInt() + ")"
                            : ""));
        }
        return generated.size() + (generated.size() == 1 ? " secret" : " secrets") + " generated: "
                + String.join(", ", each);
    }

    private static List<String> names(List<AppSecret> secrets) {
        return secrets.stream().map(AppSecret::remoteName).toList();
    }

    /**
     * Creates the declared secrets that do not exist yet, each as long as its {@code length=} modifier says; values
     * through stdin only.
     */
    private List<AppSecret> createSecrets(
            StackName stack, List<AppSecret> declared, List<String> existing, RunSecrets secrets) {
        List<AppSecret> created = new ArrayList<>();
        for (AppSecret secret : declared) {
            if (existing.contains(secret.remoteName())) {
                continue;
            }
            if (!RunSecrets.redactable(secret.generatedLength())) {
                log.warn(stack + ": secret '" + secret.name() + "' is " + secret.generatedLength() + " characters"
                        + " (length=): too short to redact safely, so logs and reports may show it");
            }
            swarm.createSecret(stack, secret.remoteName(), secrets.generate(secret.generatedLength()));
            created.add(secret);
        }
        return created;
    }

    @Override
    public Snapshot backup(AppInstance app, String id, Path dir) {
        return swarm.backup(app.domain(), id, dir);
    }

    @Override
    public void restore(AppInstance app, Snapshot snapshot) {
        swarm.restore(app.domain(), snapshot);
    }

    /**
     * Deploys the app and waits until it converged. The bridge to it opens at the same time, while docker deploys:
     * it is ready when the deploy is.
     */
    @Override
    public void deploy(AppInstance app, RecipeSource source, Duration timeout) {
        Swarm.DeployMark mark = swarm.beforeDeploy(app.stack());
        List<String> files = RecipeEnv.composeFiles(source, app.env());
        Swarm.Compose compose =
                swarm.compose(app.domain(), source, files, RecipeEnv.deployEnv(source, app.env(), app.stack()));
        log.info(app.domain() + ": deploying " + source.recipe() + " at " + source.ref() + " (" + source.shortCommit()
                + ") " + describe(files, app.env().get("COMPOSE_FILE").isPresent(), compose.configNames()));
        swarm.openFrontDoor(compose);
        swarm.deployStack(compose);
        swarm.awaitConverged(app.domain(), mark, timeout);
        swarm.frontDoor(app.domain());
    }

    /**
     * What the run log says of a deploy's compose: the files docker gets, in order — the {@code COMPOSE_FILE} chain
     * as the env expanded it — and the names of the configs it creates (with {@code abra.sh}'s versions in them).
     */
    static String describe(List<String> files, boolean composeFileSet, Collection<String> configs) {
        return "with " + String.join(", ", files)
                + (composeFileSet ? " (COMPOSE_FILE)" : " (no COMPOSE_FILE: the default)")
                + (configs.isEmpty() ? "" : "; configs " + String.join(", ", configs));
    }

    @Override
    public Set<AppDomain> listApps() {
        Set<AppDomain> apps = new LinkedHashSet<>();
        try (var files = Files.newDirectoryStream(serversDir, "*.env")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Swarm.domainOrEmpty(name.substring(0, name.length() - ".env".length()))
                        .ifPresent(apps::add);
            }
        } catch (NoSuchFileException e) {
            // no app was ever created here
        } catch (IOException e) {
            log.warn("cannot list app env files in " + serversDir + ": " + e.getMessage());
        }
        apps.addAll(swarm.appsOnSwarm());
        return apps;
    }

    @Override
    public List<String> teardown(AppDomain domain) {
        return swarm.teardown(domain);
    }

    @Override
    public void validate(RecipeSource source, AppDomain domain, Map<String, String> extra) {
        RecipeEnv.check(source, domain, extra);
        swarm.validateCompose(source, domain, extra);
    }

    @Override
    public AppView view() {
        return swarm;
    }

    private static Path envFile(Path serversDir, AppDomain domain) {
        return serversDir.resolve(domain.value() + ".env");
    }
}
