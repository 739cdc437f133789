package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.wait.NamedWait;
import org.coopcloud.recipeci.internal.wait.NamedWait.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Engine API's answers equal the CLI's, on the real swarm: a stack of a healthy two-replica service and one whose
 * image does not exist (its task is rejected, and stays so), read both ways — tasks (ids, names, states, errors),
 * services (replicas, update state), rollouts after a forced update, service names, containers. And with the engine
 * unreachable, the CLI answers and says so once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerEngineIT {
    private static final String COMPOSE =
            """
            version: "3.8"
            services:
              web:
                image: recipe-ci.local/hello:2.1
                command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
                init: true
                volumes:
                  - data:/data
                secrets:
                  - key
                configs:
                  - source: greeting
                    target: /greeting
                deploy:
                  replicas: 2
                  labels:
                    recipe-ci.test: "web, with a comma"
                  update_config:
                    parallelism: 2
                    monitor: 1s
              broken:
                image: recipe-ci.local/hello:no-such-tag
                deploy:
                  restart_policy:
                    condition: none
            volumes:
              data:
                labels:
                  recipe-ci.test: "volume"
            secrets:
              key:
                file: ./key.txt
                labels:
                  recipe-ci.test: "secret"
            configs:
              greeting:
                file: ./greeting.txt
            """;
    private static final String TEST_LABEL = "recipe-ci.test";

    private final CommandRunner runner = new CommandRunner();
    private final DockerCli cli = new DockerCli(runner, Map.of(), Optional.empty(), notice -> {});
    private DockerEngine engine;
    private Swarm swarm;
    private AppDomain domain;
    private StackName stack;

    @BeforeAll
    void deployAStackWithARejectedTask(@TempDir Path tmp) throws Exception {
        engine = DockerEngine.forClient(Map.of())
                .orElseThrow(() -> new AssertionError(
                        "this host's docker client" + " is not the local socket: the engine API is not used here"));
        swarm = new Swarm(runner, new RunLog(System.out, Optional.empty()), d -> tmp.resolve(d + ".env"));
        byte[] id = new byte[3];
        ThreadLocalRandom.current().nextBytes(id);
        domain = new AppDomain("engi-" + HexFormat.of().formatHex(id) + ".it.recipe-ci.test");
        stack = domain.stackName();
        Files.writeString(tmp.resolve("compose.yml"), COMPOSE);
        Files.writeString(tmp.resolve("key.txt"), "not a real secret");
        Files.writeString(tmp.resolve("greeting.txt"), "hello");
        runner.run(HandDeploy.of(tmp, stack)).orThrow();
        NamedWait.of(stack + ": web 2/2 and broken rejected", Duration.ofMinutes(2))
                .every(Duration.ofMillis(500))
                .until(
                        () -> {
                            boolean web = cli.services(stack).stream()
                                    .anyMatch(s -> s.name().endsWith("_web") && s.running() == 2);
                            boolean rejected = cli.tasks(stack).stream().anyMatch(DockerCli.Task::failed);
                            return web && rejected ? Poll.done("ready", true) : Poll.pending("web " + web);
                        },
                        line -> {});
    }

    @AfterAll
    void tearDown() {
        if (swarm != null && domain != null) {
            assertThat(swarm.teardown(domain)).as("what is left of " + domain).isEmpty();
        }
    }

    @Test
    @Order(1)
    void tasks_sameIdsNamesStatesAndErrors_asDockerStackPs() {
        List<DockerCli.Task> api = agreeing(
                () -> cli.tasks(stack), () -> EngineQueries.tasks(engine, stack, Instant.now()), DockerEngineIT::words);

        assertThat(api).extracting(DockerCli.Task::name).contains(stack + "_web.1", stack + "_web.2");
        DockerCli.Task rejected =
                api.stream().filter(DockerCli.Task::failed).findFirst().orElseThrow();
        assertThat(rejected.name()).isEqualTo(stack + "_broken.1");
        assertThat(rejected.currentState()).matches("Rejected .* ago");
        assertThat(rejected.error()).startsWith("\"").contains("no-such-tag").endsWith("\"");
        assertThat(DockerCli.table(api)).contains(rejected.error());
    }

    @Test
    @Order(2)
    void services_sameReplicasAndUpdateStates_asDockerServiceLsAndInspect() {
        DockerCli.StackServices api = agreeing(
                () -> cli.stackServicesViaCli(stack), () -> EngineQueries.stackServices(engine, stack), s -> s);

        assertThat(api.states())
                .extracting(s -> s.name() + " " + s.running() + "/" + s.desired())
                .containsExactly(stack + "_broken 0/1", stack + "_web 2/2");
        assertThat(agreeing(() -> cli.serviceNames(stack), () -> viaEngine().serviceNames(stack), n -> n))
                .containsExactly(stack + "_broken", stack + "_web");
    }

    @Test
    @Order(3)
    void afterAForcedUpdate_theRolloutReadsTheSame_changedCompletedAndItsStart() {
        runner.run(Command.of("docker", "service", "update", "--force", "--detach=false", "--quiet", stack + "_web")
                        .withTimeout(Duration.ofMinutes(2)))
                .orThrow();

        DockerCli.StackServices api = agreeing(
                () -> cli.stackServicesViaCli(stack), () -> EngineQueries.stackServices(engine, stack), s -> s);

        DockerCli.Rollout web = api.rollouts().stream()
                .filter(r -> r.service().endsWith("_web"))
                .findFirst()
                .orElseThrow();
        assertThat(web.templateChanged()).isTrue();
        assertThat(web.state()).isEqualTo("completed");
        assertThat(web.startedAt()).isPositive();
        assertThat(agreeing(() -> cli.tasks(stack), () -> EngineQueries.tasks(engine, stack, Instant.now()), s -> s))
                .as("the replaced tasks of a slot: the newest first")
                .extracting(DockerCli.Task::name, DockerCli.Task::desiredState)
                .startsWith(
                        tuple(stack + "_broken.1", "Shutdown"),
                        tuple(stack + "_web.1", "Running"),
                        tuple(stack + "_web.1", "Shutdown"));
    }

    @Test
    @Order(4)
    void containers_sameIds_asDockerPs() {
        List<String> api = agreeing(
                () -> sorted(cli.stackContainers(stack)),
                () -> sorted(viaEngine().stackContainers(stack)),
                c -> c);
        assertThat(api).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(4)
    void listings_sameObjectsIdsAndLabels_asTheCli() {
        DockerObjects viaCli = cli.objects();
        DockerObjects viaEngine = viaEngine().objects();
        Optional<String> ofStack = DockerObjects.ofStack(stack);
        Map<DockerObjects.Kind, Integer> expected = Map.of(
                DockerObjects.Kind.SERVICE, 2,
                DockerObjects.Kind.CONTAINER, 2,
                DockerObjects.Kind.VOLUME, 1,
                DockerObjects.Kind.SECRET, 1,
                DockerObjects.Kind.CONFIG, 1,
                DockerObjects.Kind.NETWORK, 1);
        for (DockerObjects.Kind kind : DockerObjects.Kind.values()) {
            List<DockerObjects.Listed> api = agreeing(
                    () -> viaCli.list(kind, ofStack, DockerCli.STACK_LABEL, TEST_LABEL),
                    () -> viaEngine.list(kind, ofStack, DockerCli.STACK_LABEL, TEST_LABEL),
                    l -> l);
            assertThat(api).as(kind + "s of the stack").hasSizeGreaterThanOrEqualTo(expected.get(kind));
            assertThat(api).as(kind + "s of the stack carry its label").allMatch(o -> o.label(DockerCli.STACK_LABEL)
                    .equals(stack.value()));
        }
        assertThat(viaEngine.list(DockerObjects.Kind.SERVICE, ofStack, TEST_LABEL))
                .extracting(o -> o.name() + " " + o.label(TEST_LABEL))
                .containsExactly(stack + "_broken ", stack + "_web web, with a comma");
        assertThat(agreeing(
                        () -> viaCli.list(DockerObjects.Kind.SECRET, Optional.empty()),
                        () -> viaEngine.list(DockerObjects.Kind.SECRET, Optional.empty()),
                        l -> l))
                .as("every secret, unfiltered")
                .extracting(DockerObjects.Listed::name)
                .contains(stack + "_key");
    }

    @Test
    @Order(4)
    void serviceLabelsRunningContainersAndMounts_sameAsTheCli() {
        List<String> notices = new ArrayList<>();
        DockerObjects viaEngine = new DockerCli(runner, Map.of(), Optional.of(engine), notices::add).objects();
        String web = stack + "_web";

        assertThat(viaEngine.serviceLabels(web))
                .isEqualTo(cli.serviceLabelsViaCli(web))
                .containsEntry(TEST_LABEL, "web, with a comma");
        assertThat(viaEngine.serviceLabels("gone-" + web)).isEmpty();
        assertThat(cli.serviceLabelsViaCli("gone-" + web)).isEmpty();

        String container = viaEngine.runningContainer(web).orElseThrow();
        assertThat(container).hasSize(12);
        assertThat(cli.lines("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + web))
                .contains(container);
        assertThat(viaEngine.runningContainer(stack + "_broken")).isEmpty();
        assertThat(viaEngine.volumeMounts(container))
                .isEqualTo(cli.objects().volumeMounts(container))
                .containsExactly(new DockerObjects.Mount(stack + "_data", "/data"));
        assertThatThrownBy(() -> viaEngine.volumeMounts("gone-" + container))
                .as("a container gone since it was listed is the engine's answer, not its failure")
                .isInstanceOf(DockerEngine.Gone.class)
                .hasMessageContaining("no such container");
        assertThat(notices).as("nothing fell back to the CLI").isEmpty();
    }

    @Test
    @Order(4)
    void anInspectOfServicesOneOfWhichIsGone_answersForTheOthers_butAnyOtherErrorFails() {
        // The janitor inspects the services it listed a moment before; another runner's teardown may remove one.
        List<String> rows = cli.linesOfThoseStillThere(
                "service", "inspect", "--format", "{{.Spec.Name}}", stack + "_web", "gone-" + stack + "_web");

        assertThat(rows).containsExactly(stack + "_web");
        assertThatThrownBy(() ->
                        cli.linesOfThoseStillThere("service", "inspect", "--format", "{{.Spec.Nope}}", stack + "_web"))
                .as("a template error is not a vanished service")
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    @Order(5)
    void anUnreachableEngine_leavesTheAnswerToTheCli_andSaysSoOnce() {
        List<String> notices = new ArrayList<>();
        DockerCli fallingBack = new DockerCli(
                runner,
                Map.of(),
                Optional.of(new DockerEngine(Path.of("/nonexistent/docker.sock"), Duration.ofSeconds(1))),
                notices::add);

        assertThat(fallingBack.services(stack)).isEqualTo(cli.services(stack));
        assertThat(fallingBack.serviceNames(stack)).isEqualTo(cli.serviceNames(stack));
        assertThat(fallingBack.viaEngine()).isFalse();
        assertThat(notices).singleElement().asString().contains("cannot connect", "the docker CLI answers instead");
    }

    /** Docker through the engine (the CLI only if it fails): the side compared with {@link #cli}. */
    private DockerCli viaEngine() {
        return new DockerCli(runner, Map.of(), Optional.of(engine), notice -> {});
    }

    /**
     * The engine's answer, once a CLI reading before and one after it agree with each other (the swarm may move
     * between them): the engine must then give the same, compared as {@code view} shows it.
     */
    private static <T> T agreeing(Supplier<T> cli, Supplier<T> api, Function<T, ?> view) {
        for (int attempt = 0; attempt < 10; attempt++) {
            T before = cli.get();
            T answer = api.get();
            T after = cli.get();
            if (view.apply(before).equals(view.apply(after))) {
                assertThat(view.apply(answer)).as("the engine's answer").isEqualTo(view.apply(before));
                if (answer instanceof List<?> list && before instanceof List<?> b && after instanceof List<?> a) {
                    for (int i = 0; i < list.size(); i++) {
                        // The state's age ticks: the engine's text is one of the two readings around it.
                        assertThat(list.get(i)).as("entry " + i).isIn(b.get(i), a.get(i));
                    }
                }
                return answer;
            }
        }
        throw new AssertionError("the swarm did not hold still for two CLI readings in a row");
    }

    /** A task without its state's age: "Running 3 seconds ago" → "Running". */
    private static List<List<String>> words(List<DockerCli.Task> tasks) {
        return tasks.stream()
                .map(t -> List.of(
                        t.id(), t.name(), t.desiredState(), t.currentState().split(" ")[0], t.error()))
                .toList();
    }

    private static List<String> sorted(List<String> list) {
        return list.stream().sorted().toList();
    }
}
