package org.coopcloud.recipeci.internal.deploy.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.HostFaultException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.AppEnv;
import org.coopcloud.recipeci.internal.deploy.AppView;
import org.coopcloud.recipeci.internal.deploy.FrontDoor;
import org.coopcloud.recipeci.internal.deploy.RecipeEnv;
import org.coopcloud.recipeci.internal.deploy.Snapshot;
import org.coopcloud.recipeci.internal.deploy.StackConfig;
import org.coopcloud.recipeci.internal.lock.Owner;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.os.HostFaults;
import org.coopcloud.recipeci.internal.process.Alongside;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;

/**
 * The local swarm as every deploy driver sees it through the {@code docker} CLI, whatever created the app (plain
 * {@code docker stack deploy}, or abra — itself a docker client): a stack's services, tasks, labels, logs and
 * volumes, {@code docker exec} into its tasks, the convergence wait, and the teardown that proves nothing of a stack
 * is left. Works from the app's domain alone, so a janitor can use it for an app whose run is gone.
 */
public final class Swarm implements AppView {
    /** Labels the secrets the harness itself creates with the stack that owns them (for the janitor's sweep). */
    public static final String SECRET_OWNER_LABEL = "org.coopcloud.recipeci.stack";

    private static final Duration DEPLOY_COMMAND_TIMEOUT = Duration.ofMinutes(3);

    private final DockerCli docker;
    private final SwarmBackups backups;
    private final FrontDoors frontDoors;
    private final SwarmTeardown teardown;
    private final SwarmConvergence convergence;
    private final RunLog log;
    private final Function<AppDomain, Path> envFile;
    private final Optional<Owner> owner;
    private final List<Path> hostMounts;

    /** @param envFile where the app's env file lives; teardown removes it and the residual check looks for it */
    public Swarm(CommandRunner runner, RunLog log, Function<AppDomain, Path> envFile) {
        this(runner, log, envFile, Map.of(), FrontDoorSettings.defaults());
    }

    /**
     * @param dockerEnv extra environment for every docker child, e.g. {@code DOCKER_HOST}
     * @param frontDoor how test traffic reaches the apps
     */
    public Swarm(
            CommandRunner runner,
            RunLog log,
            Function<AppDomain, Path> envFile,
            Map<String, String> dockerEnv,
            FrontDoorSettings frontDoor) {
        this(runner, log, envFile, dockerEnv, frontDoor, Optional.empty(), List.of());
    }

    /**
     * @param owner labels everything this swarm creates (stack, secrets, edge) with the run's owner, for the janitors
     *     of every runner; empty for tools and tests that deploy outside a run
     * @param hostMounts host paths a recipe may bind-mount ({@link HostMounts})
     */
    public Swarm(
            CommandRunner runner,
            RunLog log,
            Function<AppDomain, Path> envFile,
            Map<String, String> dockerEnv,
            FrontDoorSettings frontDoor,
            Optional<Owner> owner,
            List<Path> hostMounts) {
        this.docker = new DockerCli(runner, dockerEnv, DockerEngine.forClient(dockerEnv), log::detail);
        this.backups = new SwarmBackups(docker, log);
        this.frontDoors = new FrontDoors(
                docker, frontDoor, log, owner.map(Owner::labelArgs).orElse(List.of()));
        this.teardown = new SwarmTeardown(docker, log, envFile, frontDoors);
        this.convergence = new SwarmConvergence(docker, log);
        this.log = log;
        this.envFile = envFile;
        this.owner = owner;
        this.hostMounts = List.copyOf(hostMounts);
    }

    /**
     * Fails with one clear message when there is no Docker engine, it is not a swarm manager, the {@code proxy}
     * network cannot be made (it is made when missing), or the bridge's edge image is missing.
     *
     * @param driver the driver that needs the swarm, for the message
     */
    public void check(String driver) {
        // The front doors' checks (two docker reads, the proxy network made if missing) alongside `docker info`: a
        // run's start waits for one round of docker commands instead of three. Where docker info fails, its message
        // is the one that says what to fix, and the doors' outcome is dropped (without a swarm manager they create
        // nothing).
        Alongside doors = Alongside.start("recipe-ci-check-doors", frontDoors::check);
        CommandResult info;
        Optional<RuntimeException> doorsFailure;
        try {
            info = docker.docker("info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}");
        } finally {
            doorsFailure = doors.await();
        }
        if (!info.ok()) {
            throw new RecipeConfigurationException("the " + driver + " driver needs a Docker engine, and `docker info`"
                    + " failed (" + info.firstLine() + "): run `scripts/local-swarm up` (installs and starts"
                    + " docker.io and a single-node swarm), or start dockerd");
        }
        if (!info.stdout().strip().equals("active true")) {
            throw new RecipeConfigurationException("the Docker engine is not a swarm manager (state: "
                    + info.stdout().strip() + "): run `scripts/local-swarm up` or"
                    + " `docker swarm init --advertise-addr 127.0.0.1`");
        }
        if (doorsFailure.isPresent()) {
            throw doorsFailure.get();
        }
    }

    /**
     * Checks, before anything is created, that the recipe's compose files parse with the env its sample gives the app
     * ({@code docker stack config}), and that a Traefik router serves the app's domain.
     *
     * @throws RecipeConfigurationException saying which recipe and ref are wrong, why, and what is expected
     */
    public void validateCompose(RecipeSource source, AppDomain domain) {
        validateCompose(source, domain, Map.of());
    }

    /** {@link #validateCompose(RecipeSource, AppDomain)} with {@code extra} set on the sample's env. */
    public void validateCompose(RecipeSource source, AppDomain domain, Map<String, String> extra) {
        AppEnv env = RecipeEnv.with(RecipeEnv.fromSample(source, domain), extra);
        compose(
                domain,
                source,
                RecipeEnv.composeFiles(source, env),
                RecipeEnv.deployEnv(source, env, domain.stackName()));
    }

    /**
     * An app's compose as a deploy is about to send it: the files, the env they are interpolated with, docker's merge
     * of them, and the app's Traefik routers in it.
     */
    public static final class Compose {
        private final AppDomain domain;
        private final Path workTree;
        private final List<String> files;
        private final Map<String, String> env;
        private final StackConfig config;
        private final TraefikRouters.AppRouters routers;

        private Compose(
                AppDomain domain,
                Path workTree,
                List<String> files,
                Map<String, String> env,
                StackConfig config,
                TraefikRouters.AppRouters routers) {
            this.domain = domain;
            this.workTree = workTree;
            this.files = List.copyOf(files);
            this.env = Map.copyOf(env);
            this.config = config;
            this.routers = routers;
        }

        public AppDomain domain() {
            return domain;
        }

        /** The names the app's configs get on the swarm, as docker's merge of the files gives them. */
        public List<String> configNames() {
            return List.copyOf(config.configs(domain.stackName()).values());
        }
    }

    /**
     * Reads the app's compose the way docker will deploy it ({@code docker stack config}, client side: nothing is
     * created) and finds its routers.
     *
     * @throws RecipeConfigurationException when the files do not parse, or no router serves the domain
     */
    public Compose compose(AppDomain domain, RecipeSource source, List<String> files, Map<String, String> env) {
        String origin = "recipe '" + source.recipe() + "' at " + source.ref();
        ComposeChecks.envFilesBeforeReading(source.workTree(), files, env, origin);
        List<String> argv = new ArrayList<>(List.of("docker", "stack", "config"));
        files.forEach(f -> argv.addAll(List.of("-c", f)));
        CommandResult result = docker.run(Command.of(argv)
                .withWorkDir(source.workTree())
                .withEnv(env)
                .withInheritedEnvOnly(RecipeEnv.DOCKER_CLIENT_ENV)
                .withTimeout(Duration.ofSeconds(30)));
        if (!result.ok()
                && (result.exitCode() == 125
                        || result.stderr().contains("unknown command")
                        || result.stderr().contains("unknown shorthand flag"))) {
            throw new RecipeConfigurationException("this docker client has no `docker stack config` (Docker 25 and"
                    + " later have it): recipe-ci reads the merged compose files through it to find the app's"
                    + " Traefik routers — install a newer docker CLI");
        }
        if (!result.ok()) {
            throw new RecipeConfigurationException("the compose files of " + origin + " do not parse: "
                    + result.firstLine().strip()
                    + " — fix the recipe's compose.yml (check it with `docker stack config -c compose.yml`)");
        }
        StackConfig config = StackConfig.parse(result.stdout(), "the compose files of " + origin);
        config.requireNamesWithinLimit(domain.stackName(), origin);
        ComposeChecks.check(config, source.workTree(), hostMounts, origin);
        ComposeChecks.namesInStack(config, domain.stackName(), origin);
        return new Compose(
                domain, source.workTree(), files, env, config, TraefikRouters.forDomain(config, domain, origin));
    }

    /**
     * Starts opening the app's front door for the compose about to be deployed — in the background, so the edge
     * container starts while docker deploys. {@link #frontDoor} waits for it.
     */
    public void openFrontDoor(Compose compose) {
        frontDoors.open(compose.domain, compose.routers);
    }

    @Override
    public FrontDoor frontDoor(AppDomain app) {
        return frontDoors.await(app);
    }

    /** Closes the app's front door and removes any a dead run left (teardown does it too). */
    public void closeFrontDoor(AppDomain app) {
        frontDoors.close(app);
    }

    /**
     * What the swarm looked like just before a deploy: the convergence wait judges only what came after it.
     *
     * @param tasksBefore ids of the stack's tasks before the deploy
     * @param at the moment before the deploy; the wait's event stream starts there
     */
    public record DeployMark(Set<String> tasksBefore, Instant at) {
        public DeployMark {
            tasksBefore = Set.copyOf(tasksBefore);
        }

        /** Whole epoch seconds, as swarm reports update start times (an update started in this second counts). */
        long startedAt() {
            return at.getEpochSecond();
        }
    }

    /**
     * @throws DeployFailedException naming a task started by the app's last deploy that failed since, with the task
     *     table and the service's last log lines (a task that crashes right after convergence, while the ready
     *     probe waits)
     */
    @Override
    public void requireNoFailedTask(AppDomain app) {
        convergence.requireNoFailedTask(app);
    }

    /** See {@link SwarmConvergence#failedTask}. */
    public Optional<String> failedTask(AppDomain app, DeployMark mark) {
        return convergence.failedTask(app.stackName(), mark);
    }

    @Override
    public boolean forgaveAFailure(AppDomain app) {
        return convergence.forgaveAFailure(app);
    }

    /** Marks the moment before a deploy of {@code stack}. */
    public DeployMark beforeDeploy(StackName stack) {
        return convergence.beforeDeploy(stack);
    }

    /**
     * Waits until every service of the app converged after the deploy marked by {@code mark}.
     *
     * @throws DeployFailedException at once when a new task fails or an update is rolled back (with the task table
     *     and the service's last log lines)
     */
    public List<ServiceState> awaitConverged(AppDomain domain, DeployMark mark, Duration timeout) {
        return convergence.awaitConverged(domain, mark, timeout);
    }

    @Override
    public List<ServiceState> services(AppDomain app) {
        return docker.services(app.stackName());
    }

    @Override
    public Optional<String> versionLabel(AppDomain app) {
        StackName stack = app.stackName();
        return Optional.ofNullable(
                docker.objects().serviceLabels(stack + "_app").get("coop-cloud." + stack + ".version"));
    }

    @Override
    public CommandResult exec(AppDomain domain, String service, List<String> argv, Optional<String> stdin) {
        String container = docker.objects()
                .runningContainer(domain.stackName() + "_" + service)
                .orElseThrow(() -> new DeployFailedException("no running task of service " + service + " in " + domain
                        + " to exec into\n" + taskTable(domain)));
        CommandResult result = docker.exec(container, argv, stdin, Duration.ofMinutes(2));
        if (HostFaults.sign(result.stderr()).isPresent()) {
            // Not the app's answer: docker's (unreachable), or the host's disk.
            throw new HostFaultException(
                    "docker exec into " + service + " of " + domain + " failed: " + result.firstLine());
        }
        return result;
    }

    /** The stack's volumes, by name (not creation time: the local driver's CreatedAt moves when data is written). */
    @Override
    public List<String> volumes(AppDomain app) {
        return docker.objects().names(DockerObjects.Kind.VOLUME, DockerObjects.ofStack(app.stackName()));
    }

    @Override
    public String logs(AppDomain app, String service, int lines) {
        return docker.serviceLogs(app.stackName() + "_" + service, lines);
    }

    @Override
    public boolean backupCapable(AppDomain app) {
        return backups.capable(app.stackName());
    }

    @Override
    public Optional<String> backupPath(AppDomain app) {
        return backups.firstPath(app.stackName());
    }

    @Override
    public String taskTable(AppDomain domain) {
        return DockerCli.table(docker.tasks(domain.stackName()));
    }

    /** Takes a backup the way backupbot's labels say (hooks, paths, excluded volumes) into {@code dir}. */
    public Snapshot backup(AppDomain app, String id, Path dir) {
        return backups.backup(app.stackName(), id, dir);
    }

    /** Restores a snapshot into the running app (restore hooks around it). */
    public void restore(AppDomain app, Snapshot snapshot) {
        backups.restore(app.stackName(), snapshot);
    }

    /**
     * Creates a swarm secret of {@code stack}, labelled with the stack and the run's owner; the value goes through
     * stdin only.
     */
    public void createSecret(StackName stack, String name, String value) {
        List<String> argv =
                new ArrayList<>(List.of("docker", "secret", "create", "--label", SECRET_OWNER_LABEL + "=" + stack));
        owner.ifPresent(o -> argv.addAll(o.labelArgs()));
        argv.addAll(List.of(name, "-"));
        docker.run(Command.of(argv).withStdin(value).withTimeout(Duration.ofSeconds(30)))
                .orThrow();
    }

    /** The owner this swarm labels what it creates with; empty outside a run. */
    public Optional<Owner> owner() {
        return owner;
    }

    /**
     * {@code docker stack deploy} of the app's compose; images are never pulled (they are local or the deploy fails).
     * On a host without IPVS the compose chain gets the harness's {@link DnsrrOverlay}, and the log says so.
     *
     * @throws DeployFailedException with docker's own words when the deploy is refused
     */
    public void deployStack(Compose compose) {
        StackName stack = compose.domain.stackName();
        List<String> files = new ArrayList<>(compose.files);
        if (DnsrrOverlay.needed()) {
            List<String> kept = new ArrayList<>();
            Optional<String> overlay = DnsrrOverlay.text(compose.config, kept);
            if (overlay.isPresent()) {
                write(compose, DnsrrOverlay.FILE, overlay.get());
                files.add(DnsrrOverlay.FILE);
            }
            log.info(compose.domain + ": this host has no IPVS (/proc/net/ip_vs is absent), so swarm service VIPs do"
                    + " not route: recipe-ci adds " + DnsrrOverlay.FILE + " (endpoint_mode dnsrr on every service"
                    + (kept.isEmpty() ? "" : " but " + String.join(", ", kept) + ", which publish ingress ports")
                    + ")");
        }
        if (owner.isPresent()) {
            write(compose, OwnerOverlay.FILE, OwnerOverlay.text(compose.config, owner.get()));
            files.add(OwnerOverlay.FILE);
        }
        List<String> argv =
                new ArrayList<>(List.of("docker", "stack", "deploy", "--resolve-image", "never", "--prune"));
        files.forEach(f -> argv.addAll(List.of("-c", f)));
        argv.add(stack.value());
        CommandResult deployed = docker.run(Command.of(argv)
                .withWorkDir(compose.workTree)
                .withEnv(compose.env)
                .withInheritedEnvOnly(RecipeEnv.DOCKER_CLIENT_ENV)
                .withTimeout(DEPLOY_COMMAND_TIMEOUT));
        if (!deployed.ok()) {
            // Docker's reason first: one-line places (console, results.json, summary table) show the first line.
            String why = "docker stack deploy of " + stack + " failed: " + deployed.failure();
            if (deployed.timedOut() || HostFaults.sign(deployed.stderr()).isPresent()) {
                throw new HostFaultException(why);
            }
            throw new DeployFailedException(why);
        }
    }

    /** Writes one of the harness's own compose files into the work tree of the compose about to be deployed. */
    private static void write(Compose compose, String file, String text) {
        try {
            Files.writeString(compose.workTree.resolve(file), text);
        } catch (IOException e) {
            throw HostFaults.io("cannot write " + file + " into " + compose.workTree, e);
        }
    }

    /** Whether the stack has any service now. */
    public boolean deployed(StackName stack) {
        return !docker.serviceNames(stack).isEmpty();
    }

    /**
     * The apps the swarm shows traces of, whoever created them: stacks, and volumes, harness-created secrets and edge
     * containers labelled with their stack. A run may die half-way through teardown and leave any of these.
     */
    public Set<AppDomain> appsOnSwarm() {
        DockerObjects objects = docker.objects();
        List<String> stacks = new ArrayList<>();
        for (var kind : List.of(DockerObjects.Kind.SERVICE, DockerObjects.Kind.VOLUME)) {
            objects.list(kind, Optional.of(DockerCli.STACK_LABEL), DockerCli.STACK_LABEL)
                    .forEach(o -> stacks.add(o.label(DockerCli.STACK_LABEL)));
        }
        objects.list(DockerObjects.Kind.SECRET, Optional.of(SECRET_OWNER_LABEL), SECRET_OWNER_LABEL)
                .forEach(o -> stacks.add(o.label(SECRET_OWNER_LABEL)));
        stacks.addAll(EdgeContainer.stacks(docker));
        Set<AppDomain> apps = new LinkedHashSet<>();
        stacks.stream()
                .filter(stack -> !stack.isBlank() && !stack.contains("."))
                .forEach(stack -> domainOrEmpty(stack.replace('_', '.')).ifPresent(apps::add));
        return apps;
    }

    /**
     * The owners of {@code apps} as their env files (the owner's two lines) and their labels on the swarm (services,
     * volumes, secrets the harness made, edge containers) name them. An app with neither is not in the answer: cc-ci's,
     * or one from before the labels.
     */
    @Override
    public Map<AppDomain, Owner> owners(Set<AppDomain> apps) {
        Map<AppDomain, Owner> owners = new LinkedHashMap<>();
        for (AppDomain app : apps) {
            Path file = envFile.apply(app);
            if (Files.isRegularFile(file)) {
                try {
                    Owner.fromEnv(AppEnv.read(file).asMap()).ifPresent(o -> owners.put(app, o));
                } catch (RuntimeException e) {
                    // An env file that does not read names no owner; the labels may.
                }
            }
        }
        if (owners.size() == apps.size()) {
            return owners;
        }
        List<String[]> rows = new ArrayList<>();
        DockerObjects objects = docker.objects();
        Optional<String> labelled = Optional.of(Owner.RUNNER_LABEL);
        Map<DockerObjects.Kind, String> stackLabels = new LinkedHashMap<>();
        stackLabels.put(DockerObjects.Kind.SERVICE, DockerCli.STACK_LABEL);
        stackLabels.put(DockerObjects.Kind.VOLUME, DockerCli.STACK_LABEL);
        stackLabels.put(DockerObjects.Kind.SECRET, SECRET_OWNER_LABEL);
        stackLabels.put(DockerObjects.Kind.CONTAINER, EdgeContainer.LABEL);
        stackLabels.forEach((kind, stackLabel) -> objects.list(
                        kind, labelled, stackLabel, Owner.RUNNER_LABEL, Owner.RUN_LABEL)
                .forEach(o -> rows.add(
                        new String[] {o.label(stackLabel), o.label(Owner.RUNNER_LABEL), o.label(Owner.RUN_LABEL)})));
        for (String[] f : rows) {
            if (f[0].isBlank() || f[0].contains(".")) {
                continue;
            }
            domainOrEmpty(f[0].replace('_', '.')).filter(apps::contains).ifPresent(app -> Owner.from(
                            Map.of(Owner.RUNNER_LABEL, f[1], Owner.RUN_LABEL, f[2]),
                            Owner.RUNNER_LABEL,
                            Owner.RUN_LABEL)
                    .ifPresent(o -> owners.putIfAbsent(app, o)));
        }
        return owners;
    }

    /** {@code name} as an app domain, or empty when it is not one (other things share the swarm). */
    public static Optional<AppDomain> domainOrEmpty(String name) {
        try {
            return Optional.of(new AppDomain(name));
        } catch (RecipeConfigurationException e) {
            return Optional.empty();
        }
    }

    /** Waits (bounded) until the stack's containers are gone, after the stack was removed. */
    public void awaitContainersGone(AppDomain domain) {
        teardown.awaitContainersGone(domain);
    }

    /** Waits (bounded) until swarm has let go of the stack's tasks (no container, no network of it left). */
    public void awaitStackReleased(AppDomain domain) {
        teardown.awaitStackReleased(domain);
    }

    @Override
    public List<String> leftovers(AppDomain domain) {
        return teardown.leftovers(domain);
    }

    /** Removes everything of the app with docker alone, step by step, then lists what is left. */
    public List<String> teardown(AppDomain domain) {
        return teardown.run(domain);
    }
}
