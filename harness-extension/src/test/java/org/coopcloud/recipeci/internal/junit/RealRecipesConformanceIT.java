package org.coopcloud.recipeci.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.deploy.AppSecret;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings;
import org.coopcloud.recipeci.internal.lock.AppLock;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.testsupport.ChildJvm;
import org.coopcloud.recipeci.internal.testsupport.RealRecipes;
import org.coopcloud.recipeci.launcher.RecipeCi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The real recipes of {@code shared/real-recipes}, unmodified, through the CI entrypoint on the real swarm: each is a
 * catalogue entry (a clone of its bundle in {@code <recipeci.home>/recipes}) run at its latest release, stage install,
 * bonfire at the overlays its {@code .env.sample} enables. Neither image can be pulled here, so a run goes as far as
 * the swarm rejecting the task for its missing image — with that reason in the summary and {@code results.json}, the
 * recipe's lint findings beside it, and nothing left behind. Both runs go at once, each on its own domain.
 *
 * <p>What a run's own reports cannot prove is looked at on the swarm while the app is there: the child's {@code docker}
 * is a pass-through script that, right after {@code docker stack deploy} accepted a stack — before the harness goes
 * on to converge and tear down — lists the stack's configs and secrets, and runs a one-shot service that mounts every
 * secret and prints {@code wc -c} of each: the length, never the value (the task of the app itself never runs, its
 * image being missing). That service is removed before the harness continues.
 *
 * <p>The traefik recipe is the proxy itself. It declares {@code proxy} external, so its run neither creates nor
 * removes it (checked: same network before and after). It publishes 80 and 443 on swarm's ingress network: while its
 * stack exists (a few seconds), swarm reserves those ports for it, and a second stack publishing them would be
 * refused; its task never runs (no image), so nothing listens and no NAT rule is set up on the host. So that two builds
 * on one machine never deploy it at the same time, every build runs it on the same domain (one fixed PR): the second
 * run waits for the first one's app lock, which the first releases only after its teardown. It is skipped, saying
 * why, when another service already publishes 80 or 443 (a host's own Traefik), or when its image is present (it
 * would then run a real Traefik with the docker socket on {@code proxy}).
 *
 * <p>Skips, saying why, when the bundles are absent.
 */
class RealRecipesConformanceIT {
    private static final Duration RUN_LIMIT = Duration.ofMinutes(4);
    private static final String SUFFIX = "real-it.recipe-ci.test";
    private static final String PROBE_IMAGE = "recipe-ci.local/hello:2.1";
    private static final String PROBE_PREFIX = "recipe-ci-it-lengths-";

    private static final String BONFIRE_APP_IMAGE = "bonfirenetworks/bonfire:1.0.6-social-amd64";
    private static final String BONFIRE_DB_IMAGE = "ghcr.io/baosystems/postgis:17-3.5";
    private static final String TRAEFIK_IMAGE = "traefik:v2.4.8";

    @TempDir
    static Path home;

    private static final CommandRunner RUNNER = new CommandRunner();
    private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();
    private static final Map<String, String> SKIPPED = new ConcurrentHashMap<>();
    private static Path lockDir;
    private static String proxyBefore;

    /** One finished run of the entrypoint. */
    record Run(String recipe, Version version, int exitCode, String output, Path dir, AppDomain domain) {
        StackName stack() {
            return domain.stackName();
        }

        String file(String name) throws Exception {
            return Files.readString(dir.resolve(name));
        }

        JsonNode results() throws Exception {
            return new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        }

        /** What the docker shim saw on the swarm right after {@code docker stack deploy} of this run's stack. */
        List<String> observed() throws Exception {
            Path file = home.resolve("observed").resolve(stack() + ".txt");
            assertThat(file)
                    .as("the docker shim's record of %s (did docker stack deploy run?)", stack())
                    .exists();
            return Files.readAllLines(file);
        }
    }

    @BeforeAll
    static void runBothRecipesThroughTheEntrypointAtOnce() throws Exception {
        Version bonfire;
        Version traefik;
        try {
            bonfire = RealRecipes.inCatalogue("bonfire", home);
            traefik = RealRecipes.inCatalogue("traefik", home);
        } catch (TestAbortedException absent) {
            // Each test skips with the reason: a class that aborts in @BeforeAll shows up as no tests at all.
            String why = absent.getMessage().replaceFirst("^Assumption failed: ", "");
            SKIPPED.put("bonfire", why);
            SKIPPED.put("traefik", why);
            return;
        }
        lockDir = Path.of(Optional.ofNullable(System.getenv("RECIPECI_LOCK_DIR"))
                .filter(s -> !s.isBlank())
                .orElse("/run/lock"));
        assertThat(docker("image", "inspect", PROBE_IMAGE).ok())
                .as(
                        "the demo image %s (scripts/local-swarm up builds it) mounts the secrets to measure them",
                        PROBE_IMAGE)
                .isTrue();
        proxyBefore = proxyNetworkId();
        Path shims = dockerShim();

        imagesPresent(BONFIRE_APP_IMAGE, BONFIRE_DB_IMAGE)
                .ifPresent(why -> SKIPPED.put("bonfire", "bonfire would run here: " + why));
        imagesPresent(TRAEFIK_IMAGE)
                .map(why -> "traefik would run here, a real Traefik with the docker socket on proxy: " + why)
                .or(RealRecipesConformanceIT::portsTaken)
                .ifPresent(why -> SKIPPED.put("traefik", why));

        // bonfire: a PR of this test JVM, so concurrent builds run it side by side; traefik: one PR for every build,
        // so their runs of it take turns on one app lock (its ports)
        List<Planned> plan = List.of(
                new Planned("bonfire", bonfire, "real" + ProcessHandle.current().pid()),
                new Planned("traefik", traefik, "conformance"));
        List<Thread> runs = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (Planned planned : plan) {
            if (SKIPPED.containsKey(planned.recipe())) {
                continue;
            }
            Thread thread = new Thread(
                    () -> {
                        try {
                            RUNS.put(planned.recipe(), run(planned, shims));
                        } catch (Throwable e) {
                            synchronized (failures) {
                                failures.add(e);
                            }
                        }
                    },
                    "run-" + planned.recipe());
            thread.start();
            runs.add(thread);
        }
        for (Thread thread : runs) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("a run of the entrypoint could not be made", failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    @AfterAll
    static void noProbeServiceStays() {
        // The shim removes its probe before the harness goes on; a shim killed half-way would leave it.
        for (Run run : RUNS.values()) {
            if (docker("service", "inspect", PROBE_PREFIX + run.stack()).ok()) {
                docker("service", "rm", PROBE_PREFIX + run.stack());
            }
        }
    }

    /** A run to make: the recipe at its latest release, under a PR that decides its domain. */
    private record Planned(String recipe, Version version, String pr) {}

    private static Run run(Planned planned, Path shims) throws Exception {
        String recipe = planned.recipe();
        List<String> argv = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a short-lived JVM: C1 only starts and runs it sooner
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                ChildJvm.classpath(),
                "-Drecipe=" + recipe,
                "-Dstages=install",
                "-Drecipeci.version=" + planned.version(),
                "-Drecipeci.home=" + home,
                "-Drecipeci.runs-dir=" + home.resolve("runs"),
                "-Drecipeci.run-id=" + recipe,
                "-Drecipeci.lock-dir=" + lockDir,
                "-Drecipeci.domain-suffix=" + SUFFIX,
                "-Drecipeci.pr=" + planned.pr(),
                // Traefik reads the swarm through the docker socket: an operator runs it with this allowed.
                "-Drecipeci.host-mounts=" + (recipe.equals("traefik") ? "/var/run/docker.sock" : ""),
                RecipeCi.class.getName());
        long started = System.nanoTime();
        try (ChildJvm child =
                ChildJvm.start(Map.of("PATH", shims + File.pathSeparator + System.getenv("PATH")), argv)) {
            int exit = child.awaitExit(RUN_LIMIT);
            System.out.println(child.output());
            System.out.println("the run of " + recipe + " took " + (System.nanoTime() - started) / 1_000_000 + " ms");
            Path dir = home.resolve("runs").resolve(recipe);
            String domainName = Files.exists(dir.resolve("results.json"))
                    ? new ObjectMapper()
                            .readTree(dir.resolve("results.json").toFile())
                            .path("domain")
                            .asText()
                    : "";
            if (domainName.isBlank()) {
                throw new AssertionError("the run of " + recipe + " ended with exit " + exit + " before it had an"
                        + " app:\n" + child.output());
            }
            AppDomain domain = new AppDomain(domainName);
            Path observed = home.resolve("observed").resolve(domain.stackName() + ".txt");
            if (Files.exists(observed)) {
                System.out.println("on the swarm after docker stack deploy of " + domain.stackName() + ":\n"
                        + Files.readString(observed));
            }
            return new Run(recipe, planned.version(), exit, child.output(), dir, domain);
        }
    }

    private static Run ran(String recipe) {
        assumeTrue(!SKIPPED.containsKey(recipe), () -> SKIPPED.get(recipe));
        return RUNS.get(recipe);
    }

    // ---------------------------------------------------------------------------------------------------- bonfire

    @Test
    void bonfire_atItsLatestRelease_isRejectedForItsMissingImage_andTheSummarySaysSo() throws Exception {
        Run run = ran("bonfire");

        assertThat(run.version()).hasToString("2.0.1+1.0.6-social-amd64");
        assertThat(run.exitCode()).as("exit 1: the tests failed — the verdict").isEqualTo(1);
        assertThat(run.dir().resolve("exit-code")).hasContent("1");
        assertRejectedForMissingImage(run, BONFIRE_APP_IMAGE, BONFIRE_DB_IMAGE);
        assertThat(run.output()).contains("code under test 2.0.1+1.0.6-social-amd64 @ a49cdecf");
    }

    @Test
    void bonfire_getsToTheSwarmAsAbraWouldDeployIt() throws Exception {
        Run run = ran("bonfire");
        StackName s = run.stack();
        String log = run.file("logs/run.log");

        assertThat(log)
                .as("the COMPOSE_FILE chain of .env.sample, expanded; the configs named with abra.sh's versions")
                .contains("deploying bonfire at 2.0.1+1.0.6-social-amd64 (a49cdecf) with compose.yml,"
                        + " compose.postgres.yml (COMPOSE_FILE); configs " + s + "_app_entrypoint_v4, " + s
                        + "_pg_backup_v6");
        assertThat(run.file("logs/commands.log"))
                .as("docker stack deploy accepted the chain")
                .containsPattern("exit 0 \\d+ms \\$ docker stack deploy --resolve-image never --prune -c compose.yml"
                        + " -c compose.postgres.yml (-c compose.recipe-ci-dnsrr.yml )?-c compose.recipe-ci-owner.yml "
                        + s + "\n");
        assertThat(log)
                .contains("7 secrets generated: ")
                .contains("secret_key_base 128 characters (length=128)")
                .contains("seeds_pw " + AppSecret.DEFAULT_LENGTH + " characters");
        // The edge starts while docker deploys; under load the rejected task may end the run before it is up, and
        // teardown then stops its `docker run`. Either way it was aimed at the router's port through proxy.
        String target = Pattern.quote("tasks." + s + "_app:4000");
        assertThat(log)
                .as("the bridge to bonfire's router (port 4000 of app) on proxy")
                .satisfiesAnyOf(
                        opened -> assertThat(opened)
                                .containsPattern("bridge open in \\d+ ms \\(127\\.0\\.0\\.1:\\d+ → " + target
                                        + ", edge recipe-ci-edge-" + s + "\\)"),
                        opening -> assertThat(run.file("logs/commands.log"))
                                .containsPattern("\\$ docker run .*--name recipe-ci-edge-" + s
                                        + " --network proxy .* recipe-ci\\.local/edge:1 0 " + target + "\n"));

        List<String> observed = run.observed();
        assertThat(observed).as("on the swarm, after docker stack deploy").contains("deploy exit 0");
        assertThat(prefixed(observed, "config "))
                .containsExactlyInAnyOrder(s + "_app_entrypoint_v4", s + "_pg_backup_v6");
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String name : List.of("secret_key_base", "signing_salt", "encryption_salt")) {
            expected.put(s + "_" + name + "_v1", 128); // SECRET_…_VERSION=v1 # length=128
        }
        for (String name : List.of("seeds_pw", "livebook_password", "release_cookie", "postgres_password")) {
            expected.put(s + "_" + name + "_v1", AppSecret.DEFAULT_LENGTH); // no length=: recipe-ci's default
        }
        assertThat(prefixed(observed, "secret ")).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(lengths(observed))
                .as("each secret's length, read inside a task that mounts them all")
                .isEqualTo(expected);
    }

    @Test
    void bonfire_lintWarningsAreInItsRunsSummary() throws Exception {
        Run run = ran("bonfire");

        assertThat(run.file("summary.md"))
                .contains("| L5 | lint | ✅ pass |")
                .contains("**Lint** (abra's rules): no errors, 3 warnings (R002, R007, R015)")
                .containsPattern("\\| R002 \\| healthcheck enabled for all services \\| ⚠️ warn \\| service 'search'")
                .contains("| R007 | README.md metadata filled in | ⚠️ warn |")
                .contains("| R015 | long secret names | ⚠️ warn |");
        assertThat(run.results().path("lint").path("passes").asBoolean()).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------- traefik

    @Test
    void traefik_atItsLightweightVTag_isRejectedForItsMissingImage_withItsR014ErrorInTheSummary() throws Exception {
        Run run = ran("traefik");

        assertThat(run.version()).hasToString("v2.4.8");
        assertThat(run.exitCode()).as("exit 1: the tests failed — the verdict").isEqualTo(1);
        assertRejectedForMissingImage(run, TRAEFIK_IMAGE);
        assertThat(run.file("summary.md"))
                .contains("| L5 | lint | ❌ fail | R014 only annotated tags used for recipe version: tag v2.4.8 is"
                        + " lightweight |")
                .contains("**Lint** (abra's rules): 1 error (R014)")
                .contains(
                        "| R014 | only annotated tags used for recipe version | ❌ error | tag v2.4.8 is lightweight |");
        JsonNode lint = run.results().path("rungs").get(4);
        assertThat(lint.path("status").asText()).isEqualTo("fail");
        assertThat(lint.path("reason").asText()).contains("R014");
    }

    @Test
    void traefik_getsToTheSwarmWithItsVendoredConfigs_andOpensNoBridgeToItsOwnDashboard() throws Exception {
        Run run = ran("traefik");
        StackName s = run.stack();
        String log = run.file("logs/run.log");

        assertThat(log)
                .contains("deploying traefik at v2.4.8 (8ff2f3a2) with compose.yml (no COMPOSE_FILE: the default);"
                        + " configs " + s + "_file_provider_yml_v2, " + s + "_traefik_yml_v8")
                .contains("no secrets generated")
                .contains(run.domain() + ": no bridge to open — router traefik sends its traffic to api@internal,"
                        + " which is served by Traefik itself");
        List<String> observed = run.observed();
        assertThat(observed).contains("deploy exit 0");
        assertThat(prefixed(observed, "config "))
                .containsExactlyInAnyOrder(s + "_traefik_yml_v8", s + "_file_provider_yml_v2");
        assertThat(prefixed(observed, "secret ")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------- both

    @Test
    void nothingIsLeftBehind_andTheProxyNetworkIsTheOneThatWasThere() throws Exception {
        assumeTrue(
                !RUNS.isEmpty(),
                () -> "neither recipe ran: " + String.join("; ", new LinkedHashSet<>(SKIPPED.values())));
        for (Run run : RUNS.values()) {
            StackName s = run.stack();
            assertThat(run.output()).contains(run.domain() + ": teardown clean");
            assertThat(run.results().path("clean_teardown").asBoolean()).isTrue();
            assertThat(run.results().path("no_secret_leak").asBoolean()).isTrue();
            assertThat(docker("stack", "ls", "--format", "{{.Name}}").stdout().lines())
                    .doesNotContain(s.value());
            for (String kind : List.of("service", "secret", "config", "network")) {
                assertThat(docker(kind, "ls", "--format", "{{.Name}}").stdout().lines())
                        .as("%ss of %s", kind, s)
                        .noneMatch(n -> n.startsWith(s + "_") || n.startsWith(PROBE_PREFIX + s));
            }
            assertThat(docker("volume", "ls", "--format", "{{.Name}} {{.Label \"com.docker.stack.namespace\"}}")
                            .stdout()
                            .lines())
                    .as("volumes of %s", s)
                    .noneMatch(n -> n.startsWith(s + "_") || n.endsWith(" " + s));
            assertThat(docker(
                                    "container",
                                    "ls",
                                    "--all",
                                    "--format",
                                    "{{.Names}} {{.Label \"com.docker.stack.namespace\"}}")
                            .stdout()
                            .lines())
                    .as("containers of %s, its edge and the length probe", s)
                    .noneMatch(n -> n.startsWith(s + "_")
                            || n.endsWith(" " + s)
                            || n.startsWith("recipe-ci-edge-" + s)
                            || n.startsWith(PROBE_PREFIX + s));
            assertThat(new FrontDoorSettings(
                                    FrontDoorSettings.Mode.BRIDGE, lockDir.resolve(FrontDoorSettings.EDGE_DIR), "it")
                            .edgeDir(s))
                    .as("the edge directory of %s", s)
                    .doesNotExist();
            assertThat(home.resolve("servers/local").resolve(run.domain() + ".env"))
                    .as("the env file")
                    .doesNotExist();
            assertThat(AppLock.lockFile(lockDir, run.domain()))
                    .as("the app lockfile")
                    .doesNotExist();
        }
        assertThat(proxyNetworkId())
                .as("the proxy network: not removed, not made again")
                .isEqualTo(proxyBefore);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static void assertRejectedForMissingImage(Run run, String... images) throws Exception {
        String rejected = "rejected: \"No such image: ("
                + String.join("|", List.of(images).stream().map(Pattern::quote).toList()) + ")\"";
        assertThat(run.output()).containsPattern("FAIL .*" + rejected);
        JsonNode results = run.results();
        assertThat(results.path("level").asText()).isEqualTo("L0");
        assertThat(results.path("cap_reason").asText()).containsPattern(rejected);
        JsonNode install = results.path("rungs").get(0);
        assertThat(install.path("status").asText()).isEqualTo("fail");
        assertThat(install.path("reason").asText()).containsPattern(rejected);
        assertThat(run.file("summary.md")).contains("| L1 | install | ❌ fail |").containsPattern(rejected);
        assertThat(run.dir().resolve("evidence/failure.txt")).content().containsPattern(rejected);
    }

    /** The values of the shim's lines that start with {@code prefix}. */
    private static List<String> prefixed(List<String> observed, String prefix) {
        return observed.stream()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()).strip())
                .toList();
    }

    private static final Pattern WC = Pattern.compile("length\\s+(\\d+)\\s+(\\S+)");

    /** {@code wc -c}'s lines, secret name → bytes (the values are ASCII: bytes are characters). */
    private static Map<String, Integer> lengths(List<String> observed) {
        Map<String, Integer> lengths = new LinkedHashMap<>();
        for (String line : observed) {
            Matcher m = WC.matcher(line);
            if (m.matches() && !m.group(2).equals("total")) {
                lengths.put(m.group(2), Integer.parseInt(m.group(1)));
            }
        }
        return lengths;
    }

    private static CommandResult docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return RUNNER.run(Command.of(argv).withTimeout(Duration.ofSeconds(60)));
    }

    private static String proxyNetworkId() {
        return docker("network", "inspect", "--format", "{{.Id}}", "proxy")
                .orThrow()
                .stdout()
                .strip();
    }

    private static Optional<String> imagesPresent(String... images) {
        List<String> present = List.of(images).stream()
                .filter(i -> docker("image", "inspect", i).ok())
                .toList();
        return present.isEmpty()
                ? Optional.empty()
                : Optional.of("its image " + String.join(", ", present) + " is present on this host, so its task"
                        + " would not be rejected (this test proves how far a run gets without a registry)");
    }

    /** Another service that publishes 80 or 443, which the traefik recipe publishes on swarm's ingress network. */
    private static Optional<String> portsTaken() {
        List<String> ids = docker("service", "ls", "-q").stdout().lines().toList();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        List<String> argv = new ArrayList<>(
                List.of(
                        "service",
                        "inspect",
                        "--format",
                        "{{.Spec.Name}}{{range .Endpoint.Ports}} {{.PublishedPort}}{{end}}"
                                + "{{if .Spec.EndpointSpec}}{{range .Spec.EndpointSpec.Ports}} {{.PublishedPort}}{{end}}{{end}}"));
        argv.addAll(ids);
        // A service removed since the listing makes inspect fail for it alone: read what it printed anyway.
        List<String> taken = docker(argv.toArray(String[]::new))
                .stdout()
                .lines()
                .filter(l -> !l.startsWith("trae-") || !l.contains("_" + SUFFIX.replace('.', '_') + "_"))
                .filter(l -> Arrays.stream(l.split(" ")).skip(1).anyMatch(p -> p.equals("80") || p.equals("443")))
                .map(l -> l.split(" ")[0])
                .distinct()
                .toList();
        return taken.isEmpty()
                ? Optional.empty()
                : Optional.of("this swarm already publishes port 80 or 443 (" + String.join(", ", taken) + "): the"
                        + " traefik recipe publishes both on the ingress network, and deploying it would collide");
    }

    /**
     * A directory holding {@code docker}: the real client for every call; after a {@code docker stack deploy} that
     * docker accepted, it records in {@code <home>/observed/<stack>.txt} the stack's configs and secrets and, for
     * the secrets, their lengths as {@code wc -c} prints them inside a one-shot service that mounts them all (and is
     * removed before the script returns). Values are never printed.
     */
    private static Path dockerShim() throws Exception {
        String real = realDocker();
        Path dir = Files.createDirectories(home.resolve("shim"));
        Path observed = Files.createDirectories(home.resolve("observed"));
        Path shim = dir.resolve("docker");
        Files.writeString(
                shim,
                """
                #!/bin/sh
                # RealRecipesConformanceIT's docker: the real one, plus a look at the swarm after a stack deploy.
                real='%s'
                observed='%s'
                probe_image='%s'
                if [ "$1" != stack ] || [ "$2" != deploy ]; then exec "$real" "$@"; fi
                "$real" "$@"
                rc=$?
                [ "$rc" = 0 ] || exit "$rc"
                for stack; do :; done
                out="$observed/$stack.txt"
                {
                  echo "deploy exit $rc"
                  "$real" config ls --filter "name=${stack}_" --format 'config {{.Name}}'
                  "$real" secret ls --filter "name=${stack}_" --format 'secret {{.Name}}'
                  secrets=$("$real" secret ls --filter "name=${stack}_" --format '{{.Name}}')
                  if [ -n "$secrets" ]; then
                    probe="%s$stack"
                    set --
                    for s in $secrets; do set -- "$@" --secret "source=$s,target=$s"; done
                    "$real" service create --quiet --detach --no-resolve-image --restart-condition none \\
                      --name "$probe" "$@" "$probe_image" sh -c 'cd /run/secrets && wc -c *' >/dev/null
                    i=0
                    while [ "$i" -lt 300 ]; do
                      state=$("$real" service ps --format '{{.CurrentState}}' "$probe" | head -n 1)
                      case "$state" in Complete* | Failed* | Rejected* | Shutdown*) break ;; esac
                      sleep 0.2
                      i=$((i + 1))
                    done
                    echo "probe $state"
                    "$real" service logs --raw "$probe" 2>&1 | sed 's/^/length /'
                    "$real" service rm "$probe" >/dev/null
                    i=0
                    while [ "$i" -lt 150 ] && [ -n "$("$real" ps -aq --filter "label=com.docker.swarm.service.name=$probe")" ]; do
                      sleep 0.2
                      i=$((i + 1))
                    done
                  fi
                } >"$out.part" 2>&1
                mv "$out.part" "$out"
                exit "$rc"
                """
                        .formatted(real, observed, PROBE_IMAGE, PROBE_PREFIX));
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private static String realDocker() {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "docker");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("no docker on PATH");
    }
}
