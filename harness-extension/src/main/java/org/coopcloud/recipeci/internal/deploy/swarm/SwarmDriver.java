package org.coopcloud.recipeci.internal.deploy.swarm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.AppEnv;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.GeneratedSecrets;
import org.coopcloud.recipeci.internal.deploy.Snapshot;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.report.RunLog;

/**
 * Co-op Cloud semantics with the plain {@code docker} CLI: the app's env from {@code .env.sample}, secrets named
 * {@code <stack>_<name>_<version>}, {@code docker stack deploy} of the {@code COMPOSE_FILE} chain, convergence, and
 * a teardown that proves nothing is left.
 */
public final class SwarmDriver implements DeployDriver {
    private static final Duration DEPLOY_COMMAND_TIMEOUT = Duration.ofMinutes(3);
    private static final int SECRET_LENGTH = 32;

    private final Swarm swarm;
    private final DockerCli docker;
    private final SwarmBackups backups;
    private final RunLog log;
    private final Path serversDir;

    /**
     * @param serversDir where app env files live ({@code <home>/servers/local}), shared by runs so that a janitor
     *     sees every app
     */
    public SwarmDriver(CommandRunner runner, RunLog log, Path serversDir) {
        this.swarm = new Swarm(runner, log, this::envFile);
        this.docker = swarm.docker();
        this.backups = swarm.backups();
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
    public void validate(RecipeSource source, AppDomain domain) {
        AppEnv env = envFor(source, domain, 0);
        List<String> argv = new ArrayList<>(List.of("docker", "stack", "config"));
        composeFiles(source, env).forEach(f -> argv.addAll(List.of("-c", f)));
        CommandResult result = docker.run(Command.of(argv)
                .withWorkDir(source.workTree())
                .withEnv(deployEnv(env, domain.stackName()))
                .withTimeout(Duration.ofSeconds(30)));
        if (!result.ok()
                && (result.exitCode() == 125
                        || result.stderr().contains("unknown command")
                        || result.stderr().contains("unknown shorthand flag"))) {
            log.info(domain + ": this docker client has no `docker stack config`; compose files are checked at deploy");
            return;
        }
        if (!result.ok()) {
            throw new RecipeConfigurationException("the compose files of recipe '" + source.recipe() + "' at "
                    + source.ref() + " do not parse: " + result.firstLine().strip()
                    + " — fix the recipe's compose.yml (check it with `docker stack config -c compose.yml`)");
        }
    }

    @Override
    public AppInstance create(
            RecipeSource source, AppDomain domain, Map<String, String> extra, GeneratedSecrets secrets) {
        AppEnv env = envFor(source, domain, freeLoopbackPort());
        for (Map.Entry<String, String> e : extra.entrySet()) {
            env = env.with(e.getKey(), e.getValue());
        }
        Path envFile = envFile(domain);
        env.write(envFile);
        List<String> created = createSecrets(domain.stackName(), env, List.of(), secrets);
        log.info(domain + ": app created (env " + envFile + ", " + created.size() + " secret(s) generated, port "
                + env.get("PORT").orElse("?") + ")");
        return new AppInstance(
                source.recipe(),
                domain,
                envFile,
                env,
                Integer.parseInt(env.get("PORT").orElseThrow()),
                created);
    }

    @Override
    public AppInstance reconfigure(
            AppInstance app, RecipeSource source, Map<String, String> extra, GeneratedSecrets secrets) {
        // The new release's sample brings new keys; what the app already has (DOMAIN, PORT, chosen values) stays.
        AppEnv env = envFor(source, app.domain(), app.port());
        for (Map.Entry<String, String> e : app.env().asMap().entrySet()) {
            env = env.with(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : extra.entrySet()) {
            env = env.with(e.getKey(), e.getValue());
        }
        env.write(app.envFile());
        List<String> all = new ArrayList<>(app.secretNames());
        all.addAll(createSecrets(app.stack(), env, app.secretNames(), secrets));
        return new AppInstance(app.recipe(), app.domain(), app.envFile(), env, app.port(), all);
    }

    /** Creates the secrets the env declares that do not exist yet; values through stdin only. */
    private List<String> createSecrets(StackName stack, AppEnv env, List<String> existing, GeneratedSecrets secrets) {
        List<String> created = new ArrayList<>();
        for (Map.Entry<String, String> secret : env.secretVersions().entrySet()) {
            String name = stack + "_" + secret.getKey() + "_" + secret.getValue();
            if (existing.contains(name)) {
                continue;
            }
            docker.run(Command.of(
                                    "docker",
                                    "secret",
                                    "create",
                                    "--label",
                                    Swarm.SECRET_OWNER_LABEL + "=" + stack,
                                    name,
                                    "-")
                            .withStdin(secrets.generate(SECRET_LENGTH))
                            .withTimeout(Duration.ofSeconds(30)))
                    .orThrow();
            created.add(name);
        }
        return created;
    }

    @Override
    public CommandResult exec(AppInstance app, String service, List<String> argv, Optional<String> stdin) {
        return swarm.exec(app.domain(), service, argv, stdin);
    }

    @Override
    public List<String> volumes(AppDomain domain) {
        return swarm.volumes(domain.stackName());
    }

    @Override
    public String logs(AppInstance app, String service, int lines) {
        return swarm.logs(app.stack(), service, lines);
    }

    @Override
    public boolean backupCapable(AppInstance app) {
        return swarm.backupCapable(app.stack());
    }

    @Override
    public Optional<String> backupPath(AppInstance app) {
        return swarm.backupPath(app.stack());
    }

    @Override
    public Snapshot backup(AppInstance app, String id, Path dir) {
        return backups.backup(app.stack(), id, dir);
    }

    @Override
    public void restore(AppInstance app, Snapshot snapshot) {
        backups.restore(app.stack(), snapshot);
    }

    @Override
    public void deploy(AppInstance app, RecipeSource source, Duration timeout) {
        Swarm.DeployMark mark = swarm.beforeDeploy(app.stack());
        List<String> argv =
                new ArrayList<>(List.of("docker", "stack", "deploy", "--resolve-image", "never", "--prune"));
        composeFiles(source, app.env()).forEach(f -> argv.addAll(List.of("-c", f)));
        argv.add(app.stack().value());
        log.info(app.domain() + ": deploying " + source.recipe() + " at " + source.ref() + " (" + source.shortCommit()
                + ")");
        CommandResult deployed = docker.run(Command.of(argv)
                .withWorkDir(source.workTree())
                .withEnv(deployEnv(app.env(), app.stack()))
                .withTimeout(DEPLOY_COMMAND_TIMEOUT));
        if (!deployed.ok()) {
            throw new DeployFailedException(
                    "docker stack deploy of " + app.domain() + " failed: " + deployed.describe());
        }
        swarm.awaitConverged(app.domain(), mark, timeout);
    }

    @Override
    public List<ServiceState> services(AppInstance app) {
        return swarm.services(app.stack());
    }

    @Override
    public Optional<String> deployedVersion(AppInstance app) {
        return swarm.versionLabel(app.stack());
    }

    @Override
    public Set<AppDomain> listApps() {
        Set<AppDomain> apps = new java.util.LinkedHashSet<>();
        try (var files = Files.newDirectoryStream(serversDir, "*.env")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Swarm.domainOrEmpty(name.substring(0, name.length() - ".env".length()))
                        .ifPresent(apps::add);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no app was ever created here
        } catch (IOException e) {
            log.warn("cannot list app env files in " + serversDir + ": " + e.getMessage());
        }
        apps.addAll(swarm.appsOnSwarm());
        return apps;
    }

    @Override
    public String taskTable(AppDomain domain) {
        return swarm.taskTable(domain);
    }

    @Override
    public List<String> teardown(AppDomain domain) {
        return swarm.teardown(domain);
    }

    @Override
    public List<String> leftovers(AppDomain domain) {
        return swarm.leftovers(domain);
    }

    private AppEnv envFor(RecipeSource source, AppDomain domain, int port) {
        Path sample = source.workTree().resolve(".env.sample");
        if (!Files.isRegularFile(sample)) {
            throw new RecipeConfigurationException("recipe '" + source.recipe() + "' at " + source.ref()
                    + " has no .env.sample: a Co-op Cloud recipe needs one (TYPE, DOMAIN, SECRET_*_VERSION)");
        }
        return AppEnv.read(sample)
                .with("TYPE", source.recipe().value())
                .with("DOMAIN", domain.value())
                .with("PORT", Integer.toString(port));
    }

    private static Map<String, String> deployEnv(AppEnv env, StackName stack) {
        Map<String, String> vars = new LinkedHashMap<>(env.asMap());
        vars.put("STACK_NAME", stack.value());
        return vars;
    }

    private static List<String> composeFiles(RecipeSource source, AppEnv env) {
        List<String> files =
                List.of(env.get("COMPOSE_FILE").orElse("compose.yml").split(":"));
        for (String file : files) {
            if (!Files.isRegularFile(source.workTree().resolve(file))) {
                throw new RecipeConfigurationException("recipe '" + source.recipe() + "' at " + source.ref()
                        + " has no " + file + " (named by COMPOSE_FILE or the default compose.yml)");
            }
        }
        return files;
    }

    private Path envFile(AppDomain domain) {
        return serversDir.resolve(domain.value() + ".env");
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new DeployFailedException("no free port on 127.0.0.1 for the app: " + e.getMessage(), e);
        }
    }
}
