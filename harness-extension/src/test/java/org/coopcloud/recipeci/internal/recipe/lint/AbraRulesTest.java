package org.coopcloud.recipeci.internal.recipe.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.testsupport.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each of abra's rules on a small recipe that breaks it and nothing else: the good recipe below satisfies every
 * rule, so a finding with the rule's id can only come from that rule (each test fails without it).
 */
class AbraRulesTest {
    static final String COMPOSE =
            """
            version: "3.8"
            services:
              app:
                image: nginx:1.25.3
                healthcheck:
                  test: ["CMD", "true"]
                secrets: [db_password]
                configs:
                  - source: conf
                    target: /etc/conf
                deploy:
                  labels:
                    - "traefik.enable=true"
                    - "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)"
            secrets:
              db_password:
                external: true
                name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}
            configs:
              conf:
                name: ${STACK_NAME}_conf_${CONF_VERSION}
                file: conf.tmpl
            """;

    static final String README =
            """
            # good

            <!-- metadata -->
            * **Category**: Apps
            * **Status**: 1, alpha
            * **Image**: [`nginx`](https://hub.docker.com/_/nginx), 4, upstream
            * **Healthcheck**: Yes
            * **Backups**: No
            * **Email**: N/A
            * **Tests**: No
            * **SSO**: N/A
            <!-- endmetadata -->
            """;

    @TempDir
    Path recipe;

    @BeforeEach
    void aRecipeThatSatisfiesEveryRule() throws Exception {
        write(".env.sample", "TYPE=good\nDOMAIN=good.example.com\nSECRET_DB_PASSWORD_VERSION=v1 # length=32\n");
        write("compose.yml", COMPOSE);
        write("abra.sh", "export CONF_VERSION=v1\n");
        write("conf.tmpl", "x\n");
        write("README.md", README);
        Git.run(recipe, "init", "-q", "-b", "main");
        commit("release 1.0.0+1.0");
        Git.run(recipe, "tag", "-a", "1.0.0+1.0", "-m", "chore: publish 1.0.0+1.0 release");
    }

    @Test
    void theGoodRecipeSatisfiesEveryRule_andOnlyTheOfflineRulesAreNotJudged() {
        LintReport report = lint();

        assertThat(report.findings()).isEmpty();
        assertThat(report.passes()).isTrue();
        assertThat(report.notJudged()).extracting(NotJudged::rule).containsExactly("R006", "R013");
    }

    @Test
    void r001_aComposeFileWithAnotherVersion() throws Exception {
        write("compose.smtp.yml", "version: \"3.7\"\nservices:\n  app:\n    environment: [SMTP=1]\n");

        Finding finding = only("R001", Severity.WARN);

        assertThat(finding.problems()).containsExactly("compose.smtp.yml declares version 3.7");
    }

    @Test
    void r002_aServiceWithoutAHealthcheck_inAnOverlayTheSampleDoesNotEnable() throws Exception {
        write("compose.worker.yml", "version: \"3.8\"\nservices:\n  worker:\n    image: busybox:1.36\n");

        Finding finding = only("R002", Severity.WARN);

        assertThat(finding.problems()).containsExactly("service 'worker' (compose.worker.yml) has no healthcheck");
    }

    @Test
    void r003_anImageWithoutATag_alsoUnstableAndNotSemverLike() throws Exception {
        write("compose.yml", COMPOSE.replace("nginx:1.25.3", "registry.example.org:5000/nginx"));

        assertThat(lint().findings()).extracting(Finding::rule).containsExactly("R003", "R004", "R005");
        assertThat(finding("R003").problems())
                .containsExactly("service 'app' (compose.yml): image 'registry.example.org:5000/nginx' has no tag");
    }

    @Test
    void r004_theLatestTag() throws Exception {
        write("compose.yml", COMPOSE.replace("nginx:1.25.3", "nginx:latest"));

        assertThat(lint().findings()).extracting(Finding::rule).containsExactly("R004", "R005");
        assertThat(finding("R004").severity()).isEqualTo(Severity.WARN);
    }

    @Test
    void r005_aTagThatIsNotSemverLike() throws Exception {
        write("compose.yml", COMPOSE.replace("nginx:1.25.3", "nginx:20191109"));

        Finding finding = only("R005", Severity.WARN);

        assertThat(finding.problems())
                .containsExactly("service 'app' (compose.yml): image 'nginx:20191109' has no" + " semver-like tag");
    }

    @Test
    void r005_judgesTheTagAfterInterpolationWithTheSample() throws Exception {
        write("compose.yml", COMPOSE.replace("nginx:1.25.3", "nginx:${NGINX_VERSION:-mainline}"));

        assertThat(only("R005", Severity.WARN).problems())
                .containsExactly("service 'app' (compose.yml): image" + " 'nginx:mainline' has no semver-like tag");

        write(".env.sample", "TYPE=good\nDOMAIN=good.example.com\nNGINX_VERSION=1.27 # pinned\n");
        assertThat(lint().findings()).isEmpty();
    }

    @Test
    void r007_emptyMetadataInTheReadme() throws Exception {
        write("README.md", README.replace("* **Backups**: No", "* **Backups**:").replace("Yes", ""));

        Finding finding = only("R007", Severity.WARN);

        assertThat(finding.problems()).containsExactly("README.md metadata has no value for Backups, Healthcheck");
    }

    @Test
    void r008_noEnvSample_anError() throws Exception {
        Files.delete(recipe.resolve(".env.sample"));

        LintReport report = lint();

        assertThat(report.findings()).extracting(Finding::rule).containsExactly("R008");
        assertThat(report.errors()).hasSize(1);
        assertThat(report.notJudged())
                .extracting(NotJudged::rule)
                .as("without a sample there is no DOMAIN: abra skips R010")
                .contains("R010");
        assertThat(report.errorLines()).containsExactly("R008 .env.sample provided: there is no .env.sample");
    }

    @Test
    void r009_noServiceNamedApp() throws Exception {
        write("compose.yml", COMPOSE.replace("  app:\n", "  web:\n"));

        Finding finding = only("R009", Severity.ERROR);

        assertThat(finding.problems()).containsExactly("no service is named 'app' (services: web)");
    }

    @Test
    void r010_noTraefikEnableDeployLabel() throws Exception {
        write("compose.yml", COMPOSE.replace("- \"traefik.enable=true\"", "- \"traefik.enable=false\""));

        Finding finding = only("R010", Severity.ERROR);

        assertThat(finding.problems()).containsExactly("no service has the deploy label traefik.enable=true");
    }

    @Test
    void r010_saysWhenTheLabelIsOnTheContainerInsteadOfTheService() throws Exception {
        write(
                "compose.yml",
                COMPOSE.replace("- \"traefik.enable=true\"", "- \"traefik.enable=false\"")
                        .replace("    deploy:\n", "    labels: {traefik.enable: true}\n    deploy:\n"));

        assertThat(only("R010", Severity.ERROR).problems().get(0))
                .startsWith("service 'app' (compose.yml) has traefik.enable=true under labels:");
    }

    @Test
    void r010_isSkippedLikeAbraDoesWhenTheSampleHasNoDomain() throws Exception {
        write("compose.yml", COMPOSE.replace("- \"traefik.enable=true\"", "- \"traefik.enable=false\""));
        write(".env.sample", "TYPE=good\nSECRET_DB_PASSWORD_VERSION=v1\n");

        LintReport report = lint();

        assertThat(report.findings()).isEmpty();
        assertThat(report.notJudged())
                .filteredOn(n -> n.rule().equals("R010"))
                .extracting(NotJudged::reason)
                .containsExactly("abra skips it: .env.sample sets no DOMAIN");
    }

    @Test
    void r011_aServiceWithoutAnImage() throws Exception {
        write(
                "compose.build.yml",
                "version: \"3.8\"\nservices:\n  builder:\n    build: .\n    healthcheck: {test: [\"CMD\", \"true\"]}\n");

        Finding finding = only("R011", Severity.ERROR);

        assertThat(finding.problems()).containsExactly("service 'builder' (compose.build.yml) has no image");
    }

    @Test
    void r012_configsWithoutAnAbraSh() throws Exception {
        Files.delete(recipe.resolve("abra.sh"));

        Finding finding = only("R012", Severity.ERROR);

        assertThat(finding.problems()).containsExactly("configs conf are declared but there is no abra.sh");
    }

    @Test
    void r014_aLightweightTag() throws Exception {
        write("compose.yml", COMPOSE.replace("nginx:1.25.3", "nginx:1.25.4"));
        commit("release 1.0.1+1.0");
        Git.run(recipe, "tag", "v1.0.1");

        Finding finding = only("R014", Severity.ERROR);

        assertThat(finding.problems()).containsExactly("tag v1.0.1 is lightweight");
        assertThat(lint().errorLines()).singleElement().asString().startsWith("R014 ");
    }

    @Test
    void r014_isNotJudgedOutsideAGitCheckout() throws Exception {
        Path plain = Files.createDirectories(recipe.resolve("plain"));
        for (String file : List.of(".env.sample", "compose.yml", "abra.sh", "README.md")) {
            Files.copy(recipe.resolve(file), plain.resolve(file));
        }

        LintReport report = RecipeLinter.lint(plain, new CommandRunner());

        assertThat(report.findings()).isEmpty();
        assertThat(report.notJudged()).extracting(NotJudged::rule).contains("R014");
    }

    @Test
    void r015_aSecretKeyLongerThan12Characters() throws Exception {
        write("compose.yml", COMPOSE.replace("db_password", "postgres_password"));

        Finding finding = only("R015", Severity.WARN);

        assertThat(finding.problems()).containsExactly("secret 'postgres_password' is 17 characters");
    }

    @Test
    void aComposeFileThatIsNotYamlCannotBeLinted_whichFailsLikeAnError() throws Exception {
        write("compose.yml", "services:\n  app: [unclosed\n");

        LintReport report = lint();

        assertThat(report.passes()).isFalse();
        assertThat(report.unreadable()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("compose.yml is not valid YAML: ")
                .endsWith("fix the YAML syntax"));
        assertThat(report.errorLines()).singleElement().asString().startsWith("cannot lint: compose.yml is not");
    }

    @Test
    void aFileThatIsALinkOutOfTheRecipe_isNotRead_theRecipeCannotBeLinted(@TempDir Path host) throws Exception {
        // A pull request controls the checkout: its README.md may point at any file of the host running the lint.
        Files.writeString(host.resolve("README.md"), README);
        Files.delete(recipe.resolve("README.md"));
        Files.createSymbolicLink(recipe.resolve("README.md"), host.resolve("README.md"));

        LintReport report = lint();

        assertThat(report.passes()).isFalse();
        assertThat(report.errorLines())
                .singleElement()
                .asString()
                .startsWith("cannot lint: README.md is a symbolic link out of the recipe (to " + host);
    }

    @Test
    void aComposeFileThatIsALinkOutOfTheRecipe_isNotRead() throws Exception {
        Path outside = Files.writeString(
                recipe.getParent().resolve(recipe.getFileName() + "-compose.x.yml"), "version: \"3.8\"\n");
        try {
            Files.createSymbolicLink(recipe.resolve("compose.x.yml"), outside);

            assertThat(lint().unreadable())
                    .hasValueSatisfying(why -> assertThat(why).startsWith("compose.x.yml is a symbolic link out"));
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void aLinkInsideTheRecipeIsTheRecipesOwnFile() throws Exception {
        Files.move(recipe.resolve("README.md"), recipe.resolve("README.en.md"));
        Files.createSymbolicLink(recipe.resolve("README.md"), Path.of("README.en.md"));

        assertThat(lint().findings()).isEmpty();
    }

    @Test
    void theTableIsAbras_idsSeveritiesAndDescriptions() {
        assertThat(RecipeLinter.RULES)
                .extracting(AbraRule::id, r -> r.severity().word(), AbraRule::description)
                .containsExactly(
                        tuple("R001", "warn", "compose config has expected version"),
                        tuple("R002", "warn", "healthcheck enabled for all services"),
                        tuple("R003", "warn", "all images use a tag"),
                        tuple("R004", "warn", "no unstable tags"),
                        tuple("R005", "warn", "tags use semver-like format"),
                        tuple("R006", "warn", "has published catalogue version"),
                        tuple("R007", "warn", "README.md metadata filled in"),
                        tuple("R008", "error", ".env.sample provided"),
                        tuple("R009", "error", "one service named 'app'"),
                        tuple("R010", "error", "traefik routing enabled"),
                        tuple("R011", "error", "all services have images"),
                        tuple("R012", "error", "config version are vendored"),
                        tuple("R013", "warn", "git.coopcloud.tech repo exists"),
                        tuple("R014", "error", "only annotated tags used for recipe version"),
                        tuple("R015", "warn", "long secret names"));
        assertThat(RecipeLinter.RULES)
                .filteredOn(r -> !(r instanceof OfflineRule))
                .extracting(AbraRule::fix)
                .allSatisfy(fix -> assertThat(fix).isNotBlank().doesNotContain("\n"));
    }

    private LintReport lint() {
        return RecipeLinter.lint(recipe, new CommandRunner());
    }

    /** The report has exactly one finding: the rule's, at the rule's severity. */
    private Finding only(String rule, Severity severity) {
        LintReport report = lint();
        assertThat(report.findings()).extracting(Finding::rule).containsExactly(rule);
        Finding finding = report.findings().get(0);
        assertThat(finding.severity()).isEqualTo(severity);
        assertThat(report.passes()).isEqualTo(severity == Severity.WARN);
        return finding;
    }

    private Finding finding(String rule) {
        return lint().findings().stream()
                .filter(f -> f.rule().equals(rule))
                .findFirst()
                .orElseThrow();
    }

    private void write(String file, String text) throws Exception {
        Files.writeString(recipe.resolve(file), text);
    }

    private void commit(String message) throws Exception {
        Git.run(recipe, "add", "-A");
        Git.run(recipe, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", message);
    }
}
