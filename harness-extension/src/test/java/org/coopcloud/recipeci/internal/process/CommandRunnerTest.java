package org.coopcloud.recipeci.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.coopcloud.recipeci.internal.wait.Deadline;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {

    @Test
    void aChildInheritsTheGitTokenOnlyWhenItsCommandHandsItOver() {
        Map<String, String> inherited = new HashMap<>(Map.of("PATH", "/usr/bin", "RECIPECI_GIT_TOKEN", "harness-tok"));
        CommandRunner.prepareEnvironment(inherited, Command.of("docker", "ps"));
        assertThat(inherited).containsEntry("PATH", "/usr/bin").doesNotContainKey("RECIPECI_GIT_TOKEN");

        Map<String, String> forGit = new HashMap<>(Map.of("RECIPECI_GIT_TOKEN", "harness-tok"));
        CommandRunner.prepareEnvironment(
                forGit, Command.of("git", "ls-remote").withEnv(Map.of("RECIPECI_GIT_TOKEN", "handed-over")));
        assertThat(forGit).containsEntry("RECIPECI_GIT_TOKEN", "handed-over");
    }

    @Test
    void aCommandThatInheritsOnlyNamedVariablesGetsThoseAndItsOwn() {
        Map<String, String> inherited =
                new HashMap<>(Map.of("PATH", "/usr/bin", "LANG", "C.UTF-8", "DRONE_BRANCH", "main", "HOME", "/root"));
        CommandRunner.prepareEnvironment(
                inherited,
                Command.of("docker", "stack", "deploy")
                        .withEnv(Map.of("DOMAIN", "x.example.org"))
                        .withInheritedEnvOnly(java.util.Set.of("PATH", "HOME", "DOCKER_HOST")));
        assertThat(inherited)
                .containsOnly(
                        Map.entry("PATH", "/usr/bin"),
                        Map.entry("HOME", "/root"),
                        Map.entry("DOMAIN", "x.example.org"));
    }

    @Test
    void noChildInheritsTheGiteaToken() {
        // Only the harness's own HTTP client reports to Gitea; docker, abra and git have no use for its token.
        Map<String, String> inherited = new HashMap<>(Map.of("PATH", "/usr/bin", "RECIPECI_GITEA_TOKEN", "gitea-tok"));
        CommandRunner.prepareEnvironment(inherited, Command.of("docker", "ps"));
        assertThat(inherited).containsEntry("PATH", "/usr/bin").doesNotContainKey("RECIPECI_GITEA_TOKEN");
    }

    @Test
    void aBudgetThatRanOutGivesUpOnEveryProgram_andOnlyWhileItIsInForce() {
        CommandRunner runner = new CommandRunner();
        assertThat(runner.gaveUpOn("docker")).as("no budget in force").isFalse();

        try (CommandRunner.Scope scope = runner.limitTo(Deadline.in(Duration.ZERO), "a spent budget")) {
            assertThat(runner.gaveUpOn("docker")).isTrue();
        }
        try (CommandRunner.Scope scope = runner.limitTo(Deadline.in(Duration.ofMinutes(5)), "a fresh budget")) {
            assertThat(runner.gaveUpOn("docker")).as("nothing timed out yet").isFalse();
        }
        assertThat(runner.gaveUpOn("docker")).isFalse();
    }

    @Test
    void aBudgetOpenedMeanwhileStaysInForce_whenAnEarlierScopeCloses() {
        CommandRunner runner = new CommandRunner();
        CommandRunner.Scope janitor = runner.limitTo(Deadline.in(Duration.ofMinutes(2)), "the janitor's budget");
        CommandRunner.Scope teardown = runner.limitTo(Deadline.in(Duration.ofSeconds(5)), "the teardown budget");
        // The janitor's scope ends on its thread while the teardown's is open on another.
        janitor.close();
        assertThat(runner.cap(Duration.ofSeconds(30)))
                .as("the teardown's budget still caps")
                .isLessThanOrEqualTo(Duration.ofSeconds(5));
        teardown.close();
        assertThat(runner.cap(Duration.ofSeconds(30)))
                .as("and, closed, leaves no closed scope's budget in force")
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(runner.gaveUpOn("docker")).isFalse();
    }
}
