package org.coopcloud.recipeci.internal.deploy.abra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.deploy.AppEnv;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.AppView;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.RecipeEnv;
import org.coopcloud.recipeci.internal.deploy.Snapshot;
import org.coopcloud.recipeci.internal.deploy.abra.AbraCli.Call;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings;
import org.coopcloud.recipeci.internal.deploy.docker.Swarm;
import org.coopcloud.recipeci.internal.lock.Owner;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.coopcloud.recipeci.internal.wait.NamedWait;

/**
 * Co-op Cloud's production path: the app's lifecycle goes through the {@code abra} CLI — {@code app new --secrets},
 * {@code app deploy --chaos} of the run's checkout, backup and restore, {@code app ls}, undeploy and removal — with
 * a per-run {@code ABRA_DIR} ({@link AbraDir}). What abra leaves to docker anyway is read through docker, shared with
 * the swarm driver ({@link Swarm}): services, labels, logs, {@code exec}, convergence, and the residual check after
 * teardown. See {@code docs/drivers.md} for each operation and which abra flags are verified.
 */
final class AbraDriver implements DeployDriver {
    /** abra's own convergence window when the app's env sets no {@code TIMEOUT} (as cc-ci found it). */
    static final Duration ABRA_CONVERGE_WINDOW = Duration.ofSeconds(300);

    private static final Duration NEW_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DEPLOY_OVERHEAD = Duration.ofMinutes(1);
    private static final Duration BACKUP_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration QUICK = Duration.ofMinutes(2);

    private final Swarm swarm;
    private final RunSecrets secrets;
    private final AbraDir dir;
    private final AbraCli abra;
    private final CommandRunner runner;
    private final RunLog log;

    AbraDriver(AbraDir dir, CommandRunner runner, RunLog log, RunSecrets secrets, Map<String, String> env) {
        this(dir, runner, log, secrets, env, FrontDoorSettings.defaults());
    }

    /** @param frontDoor how test traffic reaches the apps ({@code recipeci.front-door}) and where edges live */
    AbraDriver(
            AbraDir dir,
            CommandRunner runner,
            RunLog log,
            RunSecrets secrets,
            Map<String, String> env,
            FrontDoorSettings frontDoor) {
        this(dir, runner, log, secrets, env, frontDoor, Optional.empty(), List.of());
    }

    /**
     * @param owner the run's owner: its apps' env files name it, and the edges carry it
     * @param hostMounts host paths a recipe may bind-mount ({@code recipeci.host-mounts})
     */
    AbraDriver(
            AbraDir dir,
            CommandRunner runner,
            RunLog log,
            RunSecrets secrets,
            Map<String, String> env,
            FrontDoorSettings frontDoor,
            Optional<Owner> owner,
            List<Path> hostMounts) {
        this.swarm = new Swarm(runner, log, dir::envFile, Map.of(), frontDoor, owner, hostMounts);
        this.secrets = secrets;
        this.dir = dir;
        this.abra = new AbraCli(runner, dir, env);
        this.runner = runner;
        this.log = log;
    }

    @Override
    public String name() {
        return "abra";
    }

    AbraDir abraDir() {
        return dir;
    }

    /** The factory puts the run's abra directory at {@code <run dir>/abra}. */
    @Override
    public Path checkoutPath(RecipeName recipe) {
        return Path.of("abra", "recipes", recipe.value());
    }

    /**
     * No: abra checks a recipe out in the run's abra directory for its own commands, an undeploy of the janitor's
     * included, and that is where the run's checkout goes.
     */
    @Override
    public boolean mayPlanAhead() {
        return false;
    }

    @Override
    public void checkEnvironment() {
        if (abra.executable().isEmpty()) {
            throw new RecipeConfigurationException("the abra driver needs the abra CLI on PATH, and there is none"
                    + " (PATH=" + abra.searchPath() + "): install abra (https://docs.coopcloud.tech/abra/install/),"
                    + " or run with -Ddriver=swarm");
        }
        if (abra.terminal().isEmpty()) {
            throw new RecipeConfigurationException("the abra driver runs abra's backup and restore on a"
                    + " pseudo-terminal made by `script` (util-linux), and there is none on PATH: install util-linux"
                    + " (bsdutils on Debian), or run with -Ddriver=swarm");
        }
        dir.server();
        swarm.check(name());
    }

    @Override
    public AppInstance create(RecipeSource source, AppDomain domain, Map<String, String> extra, RunSecrets secrets) {
        requireCheckoutInAbraDir(source);
        Map<String, String> declared = RecipeEnv.sample(source).secretVersions();
        CommandResult created = abra.run(Call.of("new", NEW_TIMEOUT)
                .flags("--server", dir.server(), "--domain", domain.value(), "--secrets", "--chaos", "--offline")
                .args(source.recipe().value()));
        // The output holds the generated secrets: remember them before anything could print them, and never log it.
        Map<String, String> values = remember(created, declared.keySet(), secrets, domain);
        if (!created.ok()) {
            // The tail, not the head: abra's error comes last, after any table of what it generated.
            throw new DeployFailedException("abra app new of " + domain + " failed: "
                    + secrets.redact(fatal(created).map(f -> f + "\n").orElse("") + created.describe()));
        }
        if (values.size() < declared.size()) {
            log.warn(domain + ": abra generated " + declared.size() + " secret(s) but printed " + values.size()
                    + " that recipe-ci could read — the others cannot be redacted if anything prints them");
        }
        keepCheckout(source);
        Path envFile = dir.envFile(domain);
        if (!Files.isRegularFile(envFile)) {
            throw new DeployFailedException("abra app new of " + domain + " succeeded but left no env file at "
                    + envFile + ": check that the server '" + dir.server() + "' is the one abra uses");
        }
        // abra's config editor is interactive: the profile's extra env goes into the file.
        AppEnv env = RecipeEnv.with(AppEnv.read(envFile), extra);
        env = RecipeEnv.with(env, swarm.owner().map(Owner::env).orElse(Map.of()));
        env.write(envFile);
        log.info(domain + ": app created by abra (env " + envFile + ", " + values.size() + " secret(s) generated)");
        return new AppInstance(source.recipe(), domain, envFile, env, RecipeEnv.secretNames(domain.stackName(), env));
    }

    @Override
    public AppInstance reconfigure(
            AppInstance app, RecipeSource source, Map<String, String> extra, RunSecrets secrets) {
        AppEnv env = RecipeEnv.upgraded(app, source, extra);
        env.write(app.envFile());
        List<String> names = new ArrayList<>(app.secretNames());
        for (Map.Entry<String, String> secret : env.secretVersions().entrySet()) {
            String name = app.stack() + "_" + secret.getKey() + "_" + secret.getValue();
            if (names.contains(name)) {
                continue;
            }
            CommandResult generated = abra.run(
                    Call.of("secret generate", QUICK).args(app.domain().value(), secret.getKey(), secret.getValue()));
            remember(generated, List.of(secret.getKey()), secrets, app.domain());
            if (!generated.ok()) {
                throw new DeployFailedException("abra app secret generate of " + name + " failed: "
                        + secrets.redact(generated.stderr().strip()));
            }
            names.add(name);
        }
        return new AppInstance(app.recipe(), app.domain(), app.envFile(), env, names);
    }

    /**
     * {@code app deploy --chaos} of the run's checkout (already deployed: with {@code --force}, an in-place
     * redeploy). abra waits for convergence itself when its window covers {@code timeout}; otherwise it is told not
     * to, and the harness's own wait — which fails fast on a failed task — has the whole deadline. The bridge to the
     * app opens while abra deploys.
     */
    @Override
    public void deploy(AppInstance app, RecipeSource source, Duration timeout) {
        keepCheckout(source);
        Swarm.DeployMark mark = swarm.beforeDeploy(app.stack());
        swarm.openFrontDoor(swarm.compose(
                app.domain(),
                source,
                RecipeEnv.composeFiles(source, app.env()),
                RecipeEnv.deployEnv(source, app.env(), app.stack())));
        boolean redeploy = swarm.deployed(app.stack());
        Duration window = app.env()
                .get("TIMEOUT")
                .filter(t -> t.matches("\\d{1,6}"))
                .map(t -> Duration.ofSeconds(Long.parseLong(t)))
                .orElse(ABRA_CONVERGE_WINDOW);
        boolean abraConverges = timeout.compareTo(window) <= 0;
        Call call = Call.of("deploy", timeout.plus(DEPLOY_OVERHEAD)).flags("--chaos", "--offline");
        if (redeploy) {
            call = call.flags("--force");
        }
        if (!abraConverges) {
            call = call.flags("--no-converge-checks");
        }
        log.info(app.domain() + ": deploying " + source.recipe() + " at " + source.ref() + " (" + source.shortCommit()
                + ") with abra" + (redeploy ? ", in place" : "")
                + (abraConverges ? "" : "; abra's " + window.toSeconds() + " s window is too short, recipe-ci waits"));
        long started = System.nanoTime();
        CommandResult deployed = abra.run(call.args(app.domain().value()));
        if (!deployed.ok()) {
            String abraSays = secrets.redact(deployed.describe());
            // abra gives up at the stack's first failed task, which the swarm driver would let swarm restart once:
            // that task's error and the service's logs say more than abra's summary.
            Optional<String> failedTask = swarm.failedTask(app.domain(), mark);
            if (failedTask.isPresent()) {
                throw new DeployFailedException(failedTask.get() + "\nabra: " + abraSays);
            }
            try {
                // The task error and the service's logs say more than abra's summary.
                swarm.awaitConverged(app.domain(), mark, Duration.ofSeconds(5));
            } catch (DeployFailedException e) {
                throw new DeployFailedException(e.getMessage() + "\nabra: " + abraSays, e);
            } catch (NamedWait.TimeoutException e) {
                // no task failed: abra's own words are the best there are
            }
            throw new DeployFailedException("abra app deploy of " + app.domain() + " failed: "
                    + fatal(deployed).map(f -> secrets.redact(f) + "\n").orElse("") + abraSays);
        }
        Duration left = timeout.minus(Duration.ofNanos(System.nanoTime() - started));
        swarm.awaitConverged(
                app.domain(), mark, left.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : left);
        swarm.frontDoor(app.domain());
    }

    /**
     * {@code app backup create}, then {@code app backup download} into {@code dir}, unpacked to read markers. Both on
     * a pseudo-terminal (see {@link AbraCli.Call#onTerminal}).
     */
    @Override
    public Snapshot backup(AppInstance app, String id, Path dir) {
        String domain = app.domain().value();
        require(abra.run(Call.of("backup create", BACKUP_TIMEOUT).args(domain).onTerminal()), "backup create", app);
        Path content = dir.resolve("content");
        try {
            Files.createDirectories(content);
        } catch (IOException e) {
            throw new RecipeCiException("cannot create " + content + ": " + e.getMessage(), e);
        }
        require(
                abra.run(Call.of("backup download", BACKUP_TIMEOUT)
                        .args(domain)
                        .in(dir)
                        .onTerminal()),
                "backup download",
                app);
        Path archive;
        try (var files = Files.list(dir)) {
            archive = files.filter(f -> f.getFileName().toString().endsWith(".tar.gz"))
                    .findFirst()
                    .orElseThrow(() -> new RecipeCiException("abra app backup download of " + domain
                            + " left no .tar.gz in " + dir + ": the backup cannot be checked"));
        } catch (IOException e) {
            throw new RecipeCiException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        CommandResult unpacked =
                runner.run(Command.of("tar", "-xzf", archive.toString(), "-C", content.toString(), "--no-same-owner")
                        .withTimeout(BACKUP_TIMEOUT));
        if (!unpacked.ok()) {
            throw new RecipeCiException("cannot unpack abra's backup " + archive + ": " + unpacked.firstLine());
        }
        log.info(app.domain() + ": backup " + id + " taken by abra (" + archive.getFileName() + ")");
        return new Snapshot(
                id,
                dir,
                List.of(new Snapshot.Entry(
                        app.stack() + "_app", swarm.backupPath(app.domain()).orElse("/"), content)));
    }

    /** {@code app restore}: abra restores the latest snapshot, which is the one the run just took. */
    @Override
    public void restore(AppInstance app, Snapshot snapshot) {
        require(
                abra.run(Call.of("restore", BACKUP_TIMEOUT)
                        .args(app.domain().value())
                        .onTerminal()),
                "restore",
                app);
        log.info(app.domain() + ": snapshot " + snapshot.id() + " restored by abra");
    }

    /**
     * What {@code abra app ls} knows, the server's env files and a docker sweep. {@code app ls} can fail on a host
     * (cc-ci saw it), and the sweep cannot see an app that died between {@code app new} and its first deploy: abra's
     * secrets carry no label naming their stack, so only the env file is left to find it by.
     */
    @Override
    public Set<AppDomain> listApps() {
        Set<AppDomain> apps = new LinkedHashSet<>();
        CommandResult listed = abra.run(Call.of("ls", QUICK).flags("--status", "--machine"));
        try {
            if (!listed.ok()) {
                throw new RecipeCiException(listed.firstLine());
            }
            AppList.names(listed.stdout())
                    .forEach(name -> Swarm.domainOrEmpty(name).ifPresent(apps::add));
        } catch (RecipeCiException e) {
            log.warn("abra app ls failed (" + e.getMessage() + "); the env files of server '" + dir.server()
                    + "' and the docker sweep still find the apps");
        }
        apps.addAll(dir.appsWithEnvFiles());
        apps.addAll(swarm.appsOnSwarm());
        return apps;
    }

    @Override
    public List<String> teardown(AppDomain domain) {
        return new AbraTeardown(abra, swarm, log, secrets, dir::envFile).run(domain);
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

    /**
     * Reads the secret values abra printed — on stdout or stderr, whichever abra chose, and also when it then failed
     * (the failure message quotes its output) — and remembers them for redaction and the leak scan.
     */
    private Map<String, String> remember(
            CommandResult result, Collection<String> names, RunSecrets secrets, AppDomain domain) {
        Map<String, String> values = new LinkedHashMap<>(SecretsTable.values(result.stdout(), names));
        SecretsTable.values(result.stderr(), names).forEach(values::putIfAbsent);
        values.forEach((name, value) -> {
            if (!secrets.remember(value)) {
                log.warn(domain + ": abra generated secret '" + name + "' too short to redact safely: logs and"
                        + " reports may show it — give it a length of at least 8 in the recipe");
            }
        });
        return values;
    }

    private void require(CommandResult result, String what, AppInstance app) {
        if (!result.ok()) {
            throw new RecipeCiException("abra app " + what + " of " + app.domain() + " failed: "
                    + secrets.redact(fatal(result).orElse(result.firstLine()) + "\n" + result.describe()));
        }
    }

    /**
     * abra's own last word, its last {@code FATA} line: the one-line reason, ahead of the command line (which under
     * script(1) is a long run of quoting) and the tail of its output.
     */
    static Optional<String> fatal(CommandResult result) {
        return (result.stdout() + "\n" + result.stderr())
                .lines()
                // On script(1)'s terminal abra may colour its level: FATA in an escape sequence.
                .map(l -> l.replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "").strip())
                .filter(l -> l.startsWith("FATA"))
                .reduce((first, last) -> last);
    }

    private void requireCheckoutInAbraDir(RecipeSource source) {
        if (!source.workTree().toAbsolutePath().normalize().equals(dir.recipe(source.recipe()))) {
            throw new IllegalStateException("the abra driver deploys what abra finds in " + dir.recipe(source.recipe())
                    + ", but the code under test was checked out in " + source.workTree());
        }
    }

    /** abra may check a release out when it resolves the recipe; the run deploys exactly its own commit. */
    private void keepCheckout(RecipeSource source) {
        CommandResult head = runner.run(Command.of("git", "rev-parse", "HEAD")
                .withWorkDir(source.workTree())
                .withTimeout(Duration.ofSeconds(30)));
        if (head.ok() && head.stdout().strip().equals(source.commit())) {
            return;
        }
        log.warn(source.recipe() + ": the checkout moved to " + head.stdout().strip() + " — back to "
                + source.shortCommit() + " before abra deploys it");
        runner.run(Command.of(
                                "git",
                                "-c",
                                "advice.detachedHead=false",
                                "checkout",
                                "--quiet",
                                "--force",
                                "--detach",
                                source.commit())
                        .withWorkDir(source.workTree())
                        .withTimeout(Duration.ofSeconds(30)))
                .orThrow();
    }
}
