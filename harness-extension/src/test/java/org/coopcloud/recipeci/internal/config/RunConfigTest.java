package org.coopcloud.recipeci.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RunConfigTest {

    private static RunConfig resolve(Map<String, String> params, Map<String, String> env) {
        return resolve(params, env, Optional.empty());
    }

    private static RunConfig resolve(Map<String, String> params, Map<String, String> env, Optional<String> override) {
        return RunConfig.resolve(ConfigSource.of(k -> Optional.ofNullable(params.get(k)), env), override);
    }

    private static RunConfig resolve(Map<String, String> params) {
        return resolve(params, Map.of());
    }

    private static Map<String, String> withRecipe(String... keyValues) {
        Map<String, String> params = new HashMap<>();
        params.put("recipeci.recipe", "hello");
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    // --- a refusal's run directory --------------------------------------------------------------------------

    private static Optional<RunConfig> forRefusal(Map<String, String> params) {
        return RunConfig.forRefusal(ConfigSource.of(k -> Optional.ofNullable(params.get(k)), Map.of()));
    }

    @ParameterizedTest
    @CsvSource({
        "stages, instal",
        "recipeci.stages, 'install,restore'",
        "recipeci.deadline, 5",
        "recipeci.version, one-point-oh",
        "recipeci.ref, main",
        "recipeci.teardown-budget, 1s"
    })
    void aRefusedRunStillHasItsRunDirectory(String key, String value) {
        Map<String, String> params =
                withRecipe("recipeci.run-id", "77", "recipeci.runs-dir", "/ci/runs", "recipeci.version", "1.0.0+2.0");
        params.put(key, value);
        assertThatThrownBy(() -> resolve(params)).isInstanceOf(RecipeConfigurationException.class);

        Optional<RunConfig> config = forRefusal(params);

        assertThat(config).map(RunConfig::runDir).contains(Path.of("/ci/runs/77"));
        assertThat(config).map(RunConfig::recipe).contains(new RecipeName("hello"));
    }

    @Test
    void aRelativeDirectoryUnderMavenIsRelativeToTheProjectsRoot_notTheModule() {
        Map<String, String> params =
                withRecipe("recipeci.run-id", "77", "recipeci.runs-dir", "relruns", "recipeci.lock-dir", "locks");
        RunConfig underMaven = resolve(params, Map.of("MAVEN_PROJECTBASEDIR", "/ws"));
        RunConfig plain = resolve(params, Map.of());

        assertThat(underMaven.runDir()).isEqualTo(Path.of("/ws/relruns/77"));
        assertThat(underMaven.paths().lockDir()).isEqualTo(Path.of("/ws/locks"));
        assertThat(plain.runDir()).isEqualTo(Path.of("relruns/77"));
        assertThat(resolve(withRecipe("recipeci.runs-dir", "/abs"), Map.of("MAVEN_PROJECTBASEDIR", "/ws"))
                        .paths()
                        .runsDir())
                .isEqualTo(Path.of("/abs"));
    }

    @Test
    void aRefusedRunKeepsTheStagesItAskedFor_whenTheyResolve() {
        assertThat(forRefusal(withRecipe("recipeci.stages", "install,custom", "recipeci.deadline", "5")))
                .map(RunConfig::stages)
                .contains(EnumSet.of(Stage.INSTALL, Stage.CUSTOM));
    }

    @ParameterizedTest
    @CsvSource({"recipeci.recipe, Hello", "recipeci.run-id, ../escape", "recipeci.recipe, ''"})
    void aRefusalOfTheRecipeOrTheRunIdHasNoRunDirectory(String key, String value) {
        Map<String, String> params = withRecipe("recipeci.run-id", "77");
        params.put(key, value);

        assertThat(forRefusal(params)).isEmpty();
    }

    // --- recipe precedence -------------------------------------------------------------------------------------

    @Test
    void annotationOverrideBeatsEverySource() {
        RunConfig config = resolve(
                Map.of("recipeci.recipe", "param", "recipe", "alias"),
                Map.of("RECIPECI_RECIPE", "env"),
                Optional.of("annotated"));
        assertThat(config.recipe()).isEqualTo(new RecipeName("annotated"));
    }

    @Test
    void namespacedParameterBeatsShortAliasAndEnv() {
        RunConfig config =
                resolve(Map.of("recipeci.recipe", "param", "recipe", "alias"), Map.of("RECIPECI_RECIPE", "env"));
        assertThat(config.recipe().value()).isEqualTo("param");
    }

    @Test
    void shortAliasBeatsEnv() {
        RunConfig config = resolve(Map.of("recipe", "alias"), Map.of("RECIPECI_RECIPE", "env"));
        assertThat(config.recipe().value()).isEqualTo("alias");
    }

    @Test
    void envIsTheLastSource() {
        assertThat(resolve(Map.of(), Map.of("RECIPECI_RECIPE", "env")).recipe().value())
                .isEqualTo("env");
    }

    @Test
    void blankValuesCountAsUnset() {
        RunConfig config = resolve(
                Map.of("recipeci.recipe", "  ", "recipe", ""), Map.of("RECIPECI_RECIPE", "env"), Optional.of(" "));
        assertThat(config.recipe().value()).isEqualTo("env");
    }

    @Test
    void valuesAreTrimmed() {
        assertThat(resolve(Map.of("recipe", " hello ")).recipe().value()).isEqualTo("hello");
        assertThat(resolve(Map.of(), Map.of("RECIPECI_RECIPE", " hello\n"))
                        .recipe()
                        .value())
                .isEqualTo("hello");
    }

    @Test
    void missingRecipeTellsHowToPassOne() {
        assertThatThrownBy(() -> resolve(Map.of("recipe", " "), Map.of("RECIPECI_RECIPE", "")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("no recipe given")
                .hasMessageContaining("-Drecipe=")
                .hasMessageContaining("RECIPECI_RECIPE")
                .hasMessageContaining("@RecipeTest(recipe");
    }

    @Test
    void invalidRecipeNameIsAConfigurationError() {
        assertThatThrownBy(() -> resolve(Map.of("recipe", "Hello")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("'hello'");
    }

    @Test
    void ofSystemReadsProperties() {
        Properties props = new Properties();
        props.setProperty("recipe", "alias");
        props.setProperty("recipeci.stages", "upgrade");
        RunConfig config =
                RunConfig.resolve(ConfigSource.ofSystem(props, Map.of("RECIPECI_RECIPE", "env")), Optional.empty());
        assertThat(config.recipe().value()).isEqualTo("alias");
        assertThat(config.stages()).containsExactly(Stage.UPGRADE);
    }

    @Test
    void ofSystemReadsJunitPlatformPropertiesAfterSystemProperties_asJUnitDoes() {
        Properties file = new Properties();
        file.setProperty("recipeci.recipe", "from-file");
        file.setProperty("recipeci.stages", "install");
        Properties props = new Properties();
        props.setProperty("recipeci.recipe", "from-property");

        RunConfig config = RunConfig.resolve(ConfigSource.ofSystem(props, Map.of(), file), Optional.empty());

        assertThat(config.recipe().value()).isEqualTo("from-property");
        assertThat(config.stages()).containsExactly(Stage.INSTALL);
        file.setProperty("recipeci.stagse", "install");
        assertThatThrownBy(() -> RunConfig.resolve(ConfigSource.ofSystem(props, Map.of(), file), Optional.empty()))
                .hasMessageContaining("did you mean 'recipeci.stages'");
    }

    @Test
    void ofSystemFallsBackToEnvForAbsentProperties() {
        RunConfig config = RunConfig.resolve(
                ConfigSource.ofSystem(new Properties(), Map.of("RECIPECI_RECIPE", "env", "RECIPECI_PR", "12")),
                Optional.empty());
        assertThat(config.recipe().value()).isEqualTo("env");
        assertThat(config.code().pr()).isEqualTo("12");
    }

    // --- defaults ----------------------------------------------------------------------------------------------

    @Test
    void defaults() {
        RunConfig config = resolve(withRecipe("recipeci.home", "/tmp/rc-home"));
        assertThat(config.code().version()).isEmpty();
        assertThat(config.code().ref()).isEmpty();
        assertThat(config.stages()).isEqualTo(EnumSet.allOf(Stage.class));
        assertThat(config.runId()).isEqualTo(RunId.manual());
        assertThat(config.paths().home()).isEqualTo(Path.of("/tmp/rc-home"));
        assertThat(config.paths().runsDir()).isEqualTo(Path.of("/tmp/rc-home/runs"));
        assertThat(config.paths().domainSuffix()).isEqualTo(RunPaths.DEFAULT_DOMAIN_SUFFIX);
        assertThat(config.code().pr()).isEqualTo("0");
        assertThat(config.driver().name()).isEqualTo("swarm");
        assertThat(config.keepOnFailure()).isFalse();
        assertThat(config.deadline()).isEqualTo(Duration.ofMinutes(60));
    }

    @Test
    void homeDefaultsUnderUserHome() {
        assertThat(resolve(withRecipe()).paths().home())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".recipe-ci"));
    }

    // --- version and ref ---------------------------------------------------------------------------------------

    @Test
    void readsVersion() {
        assertThat(resolve(withRecipe("recipeci.version", "1.1.0+2.1")).code().version())
                .contains(new Version("1.1.0+2.1"));
    }

    @Test
    void invalidVersionIsAConfigurationError() {
        // A leading 'v' is a release as abra takes it (v2.4.8), but a version still has three numbers.
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.version", "v1.0")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("'v1.0' is not a recipe version")
                .hasMessageContaining("<major>.<minor>.<patch>")
                .hasMessageContaining("'v2.4.8'");
    }

    @Test
    void aVPrefixedReleaseIsAVersion() {
        assertThat(resolve(withRecipe("recipeci.version", "v2.4.8")).code().version())
                .contains(new Version("v2.4.8"));
    }

    @Test
    void versionAndRefTogetherAreRejected() {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.version", "1.0.0", "recipeci.ref", "main")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.version (1.0.0)")
                .hasMessageContaining("recipeci.ref (main)")
                .hasMessageContaining("choose one");
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "feature/x", "1.1.0+2.1", "0123abcd", "broken-start"})
    void acceptsGitRefs(String ref) {
        assertThat(resolve(withRecipe("recipeci.ref", ref)).code().ref()).contains(ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "-x", "/main", "a b", "a;rm", "x~1", "a:b"})
    void rejectsInvalidRefs(String ref) {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.ref", ref)))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.ref '" + ref + "' is not a git ref");
    }

    // --- stages ------------------------------------------------------------------------------------------------

    @Test
    void parsesStageList() {
        assertThat(resolve(withRecipe("recipeci.stages", "install,custom")).stages())
                .containsExactly(Stage.INSTALL, Stage.CUSTOM);
        assertThat(resolve(withRecipe("recipeci.stages", " Upgrade , install,")).stages())
                .containsExactly(Stage.INSTALL, Stage.UPGRADE);
    }

    @Test
    void shortStagesAliasIsRead() {
        assertThat(resolve(withRecipe("stages", "backup")).stages()).containsExactly(Stage.BACKUP);
    }

    @Test
    void stagesWithOnlySeparatorsAreAnError() {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.stages", " , ,")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.stages is empty");
    }

    @Test
    void parseStagesRejectsEmpty() {
        assertThatThrownBy(() -> RunConfig.parseStages(""))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("install, upgrade, backup, restore, custom");
    }

    @Test
    void unknownStageIsAnError() {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.stages", "install,deploy")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("'deploy' is not a stage");
    }

    @Test
    void stagesFallBackToStagesEnv() {
        assertThat(resolve(withRecipe(), Map.of("STAGES", "upgrade")).stages()).containsExactly(Stage.UPGRADE);
    }

    @Test
    void restoreWithoutBackupIsRejectedBeforeAnythingIsDeployed() {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.stages", "restore")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("add backup to recipeci.stages");
    }

    @Test
    void specificStagesEnvBeatsGenericOne() {
        assertThat(resolve(withRecipe(), Map.of("STAGES", "restore", "RECIPECI_STAGES", "backup"))
                        .stages())
                .containsExactly(Stage.BACKUP);
    }

    @Test
    void stagesAreCopiedIntoAnImmutableSnapshot() {
        Set<Stage> mutable = EnumSet.of(Stage.INSTALL);
        RunConfig config = sample(mutable, Optional.empty());
        mutable.add(Stage.CUSTOM);
        assertThat(config.stages()).containsExactly(Stage.INSTALL);
    }

    // --- run id, pr, CI env ------------------------------------------------------------------------------------

    @Test
    void droneBuildNumberGivesRunId() {
        assertThat(resolve(withRecipe(), Map.of("DRONE_BUILD_NUMBER", "417")).runId())
                .isEqualTo(new RunId("417"));
    }

    @Test
    void specificRunIdEnvBeatsDroneBuildNumber() {
        assertThat(resolve(withRecipe(), Map.of("DRONE_BUILD_NUMBER", "417", "RECIPECI_RUN_ID", "x1"))
                        .runId()
                        .value())
                .isEqualTo("x1");
    }

    @Test
    void runIdParameterBeatsEnv() {
        assertThat(resolve(withRecipe("recipeci.run-id", "p7"), Map.of("DRONE_BUILD_NUMBER", "417"))
                        .runId()
                        .value())
                .isEqualTo("p7");
    }

    @Test
    void prFallsBackToPrEnv() {
        assertThat(resolve(withRecipe(), Map.of("PR", "93")).code().pr()).isEqualTo("93");
    }

    @Test
    void invalidPrIsRejected() {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.pr", "12/13")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.pr '12/13'");
    }

    @Test
    void envNamesForDashedKeysUseUnderscores() {
        RunConfig config = resolve(
                withRecipe(),
                Map.of(
                        "RECIPECI_DOMAIN_SUFFIX",
                        "ci.example.org",
                        "RECIPECI_KEEP_ON_FAILURE",
                        "true",
                        "RECIPECI_DEADLINE",
                        "15m"));
        assertThat(config.paths().domainSuffix()).isEqualTo("ci.example.org");
        assertThat(config.keepOnFailure()).isTrue();
        assertThat(config.deadline()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void envNamesForDottedKeysUseUnderscores() {
        ConfigSource source = ConfigSource.of(k -> Optional.empty(), Map.of("RECIPECI_GITEA_TOKEN_FILE", "/t"));
        assertThat(source.lookup(ConfigKey.GITEA_TOKEN_FILE)).contains("/t");
        assertThat(ConfigKey.GITEA_URL.envNames()).containsExactly("RECIPECI_GITEA_URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "-5m", "soon", "1.5h", "15"})
    void deadlineMustBeAPositiveDuration(String text) {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.deadline", text)))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.deadline '" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"30s,30", "90s,90", "45m,2700", "2h,7200", "PT10M,600"})
    void deadlineAcceptsUnitsAndIso(String text, long seconds) {
        assertThat(resolve(withRecipe("recipeci.deadline", text)).deadline()).hasSeconds(seconds);
    }

    @Test
    void anEmptyStageSetIsRejectedNotWidenedToAllStages() {
        assertThatThrownBy(() -> sample(EnumSet.noneOf(Stage.class), Optional.empty()))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("no stage selected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-ci.example.org", "ci-.example.org", "ci..example.org", "example"})
    void domainSuffixLabelsMustNotStartOrEndWithADash(String suffix) {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.domain-suffix", suffix)))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.domain-suffix '" + suffix + "'");
    }

    @ParameterizedTest
    @CsvSource({"yes,true", "1,true", "off,false", "FALSE,false"})
    void keepOnFailureReadsYesNoWords(String text, boolean expected) {
        assertThat(resolve(withRecipe("recipeci.keep-on-failure", text)).keepOnFailure())
                .isEqualTo(expected);
    }

    @Test
    void keepOnFailureRejectsWordsThatAreNotYesOrNo() {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.keep-on-failure", "sometimes")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("not a yes/no value");
    }

    @Test
    void aDriverNameThatIsNotANameIsRejected() {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.driver", "K8s!")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.driver 'K8s!' is not a driver name");
    }

    @Test
    void theDriverHasAShortAliasLikeRecipeAndStages() {
        assertThat(resolve(withRecipe("driver", "abra")).driver().name()).isEqualTo("abra");
        assertThat(resolve(withRecipe("driver", "abra", "recipeci.driver", "swarm"))
                        .driver()
                        .name())
                .isEqualTo("swarm");
        assertThat(resolve(withRecipe("driver", "abra"), Map.of("RECIPECI_DRIVER", "swarm"))
                        .driver()
                        .name())
                .isEqualTo("abra");
    }

    @Test
    void abraSettingsAreTheDriversOwnOptions() {
        assertThat(resolve(withRecipe()).driver().options()).isEmpty();

        RunConfig abra = resolve(
                withRecipe("driver", "abra", "recipeci.abra-server", "cc-ci.example.org"),
                Map.of("RECIPECI_ABRA_HOME", "/srv/abra"));
        assertThat(abra.driver().name()).isEqualTo("abra");
        assertThat(abra.driver().option(ConfigKey.ABRA_HOME)).contains("/srv/abra");
        assertThat(abra.driver().option(ConfigKey.ABRA_SERVER)).contains("cc-ci.example.org");
    }

    @Test
    void aDriversSettingsAreTheKeysNamedAfterIt_andGoOnlyToIt() {
        assertThat(ConfigKey.settingsOf("abra")).containsExactly(ConfigKey.ABRA_HOME, ConfigKey.ABRA_SERVER);
        assertThat(ConfigKey.settingsOf("swarm")).isEmpty();

        assertThat(resolve(withRecipe("recipeci.abra-home", "/srv/abra"))
                        .driver()
                        .options())
                .as("the swarm driver gets no abra settings")
                .isEmpty();
    }

    @Test
    void theFrontDoorIsADriverOption_fromAParameterOrTheEnvironment() {
        assertThat(resolve(withRecipe("recipeci.front-door", "traefik"))
                        .driver()
                        .option(ConfigKey.FRONT_DOOR))
                .contains("traefik");
        assertThat(resolve(withRecipe(), Map.of("RECIPECI_FRONT_DOOR", "bridge"))
                        .driver()
                        .option(ConfigKey.FRONT_DOOR))
                .contains("bridge");
    }

    // --- domain suffix -----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"ci.example.org", "a.b", "ci-1.example.org"})
    void acceptsDomainSuffixes(String suffix) {
        assertThat(resolve(withRecipe("recipeci.domain-suffix", suffix)).paths().domainSuffix())
                .isEqualTo(suffix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "CI.example.org", ".example.org", "example.org.", "a..b", "ci_x.org"})
    void rejectsInvalidDomainSuffixes(String suffix) {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.domain-suffix", suffix)))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.domain-suffix '" + suffix + "' is not a domain");
    }

    // --- asParameters, runDir ----------------------------------------------------------------------------------

    private static RunConfig sample(Set<Stage> stages, Optional<String> ref) {
        return new RunConfig(
                new RunId("build-12"),
                new CodeUnderTest(
                        new RecipeName("my-app"),
                        Optional.empty(),
                        ref,
                        Optional.of(new SourceRepository("https://git.example.org/forks/my-app.git")),
                        Optional.of(Path.of("/srv/ci/git-token")),
                        "93"),
                stages,
                Duration.ofMinutes(42),
                Duration.ofSeconds(90),
                new RunPaths(Path.of("/srv/ci"), Path.of("/srv/ci/runs"), Path.of("/srv/ci/locks"), "ci.example.org"),
                new DriverSettings("swarm", Map.of(ConfigKey.ABRA_HOME, "/srv/ci/abra")),
                true);
    }

    @Test
    void lockDirDefaultsToRunLockAndHonoursCcCisKnob() {
        assertThat(resolve(withRecipe()).paths().lockDir()).isEqualTo(Path.of("/run/lock"));
        assertThat(resolve(withRecipe(), Map.of("CCCI_APP_LOCK_DIR", "/tmp/ccci"))
                        .paths()
                        .lockDir())
                .isEqualTo(Path.of("/tmp/ccci"));
        assertThat(resolve(withRecipe(), Map.of("CCCI_APP_LOCK_DIR", "/tmp/ccci", "RECIPECI_LOCK_DIR", "/tmp/rc"))
                        .paths()
                        .lockDir())
                .isEqualTo(Path.of("/tmp/rc"));
    }

    // --- src, git-token-file -----------------------------------------------------------------------------------

    @Test
    void srcComesFromTheParameterThenRecipeciSrcThenCcCisSrc() {
        assertThat(resolve(withRecipe()).code().src()).isEmpty();
        assertThat(resolve(withRecipe(), Map.of("SRC", "https://a.example/x.git"))
                        .code()
                        .src())
                .contains(new SourceRepository("https://a.example/x.git"));
        assertThat(resolve(withRecipe(), Map.of("SRC", "https://a.example/x.git", "RECIPECI_SRC", "/srv/x"))
                        .code()
                        .src())
                .contains(new SourceRepository("/srv/x"));
        assertThat(resolve(withRecipe("recipeci.src", "git@b.example:y.git"), Map.of("RECIPECI_SRC", "/srv/x"))
                        .code()
                        .src())
                .contains(new SourceRepository("git@b.example:y.git"));
    }

    @Test
    void aSrcWithCredentialsIsRejectedWithoutEchoingThem() {
        assertThatThrownBy(() -> resolve(withRecipe(), Map.of("SRC", "https://bot:s3cr3t-tok@git.example/x.git")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("carries credentials")
                .hasMessageContaining("RECIPECI_GIT_TOKEN")
                .hasMessageNotContaining("s3cr3t-tok");
    }

    @Test
    void theTokenFileIsAKnobButTheTokenItselfIsNot() {
        RunConfig config = resolve(
                withRecipe(), Map.of("RECIPECI_GIT_TOKEN_FILE", "/run/secrets/tok", "RECIPECI_GIT_TOKEN", "t0k"));
        assertThat(config.code().gitTokenFile()).contains(Path.of("/run/secrets/tok"));
        assertThat(config.toString()).doesNotContain("t0k");
    }

    @Test
    void runDirIsRunsDirSlashRunId() {
        assertThat(sample(EnumSet.of(Stage.INSTALL), Optional.empty()).runDir())
                .isEqualTo(Path.of("/srv/ci/runs/build-12"));
    }

    // --- the table of keys -------------------------------------------------------------------------------------

    private static RunConfig resolveGiven(Map<String, String> params, Map<String, String> env) {
        return RunConfig.resolve(
                ConfigSource.of(k -> Optional.ofNullable(params.get(k)), env, params.keySet()), Optional.empty());
    }

    @Test
    void aMisspeltKeyIsRefusedNamingTheKeyMeant() {
        assertThatThrownBy(() -> resolveGiven(withRecipe("recipeci.verison", "9.9.9"), Map.of()))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("unknown configuration key 'recipeci.verison'")
                .hasMessageContaining("did you mean 'recipeci.version'");
    }

    @ParameterizedTest
    @CsvSource({"stage, stages", "recipes, recipe", "drivr, driver"})
    void aShortNameOneSlipAwayIsRefused_notIgnored(String given, String meant) {
        // -Dstage=install once ran all five tiers without a word.
        assertThatThrownBy(() -> resolveGiven(withRecipe(given, "install"), Map.of()))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("unknown configuration key '" + given + "'")
                .hasMessageContaining("did you mean '" + meant + "'");
    }

    @Test
    void otherShortKeysAreNotTheHarnesssBusiness() {
        assertThat(resolveGiven(withRecipe("test", "HelloInstallTier", "skipTests", "true"), Map.of())
                        .recipe()
                        .value())
                .isEqualTo("hello");
    }

    @Test
    void aRefusalWhoseRunDirectoryKeyIsMisspeltHasNoRunDirectory() {
        Map<String, String> misspeltDir = withRecipe("recipeci.run-id", "77", "recipeci.runs_dir", "/ci/runs");
        Map<String, String> misspeltId = withRecipe("recipeci.runs-dir", "/ci/runs");
        Map<String, String> other = withRecipe("recipeci.run-id", "77", "recipeci.deadlin", "1h");

        assertThat(RunConfig.forRefusal(
                        ConfigSource.of(k -> Optional.ofNullable(misspeltDir.get(k)), Map.of(), misspeltDir.keySet())))
                .isEmpty();
        assertThat(RunConfig.forRefusal(ConfigSource.of(
                        k -> Optional.ofNullable(misspeltId.get(k)),
                        Map.of("RECIPECI_RUNID", "77"),
                        misspeltId.keySet())))
                .isEmpty();
        assertThat(RunConfig.forRefusal(
                        ConfigSource.of(k -> Optional.ofNullable(other.get(k)), Map.of(), other.keySet())))
                .map(RunConfig::runId)
                .contains(new RunId("77"));
    }

    @Test
    void aMisspeltVariableIsRefusedNamingTheVariableMeant() {
        assertThatThrownBy(() -> resolveGiven(withRecipe(), Map.of("RECIPECI_LOCKDIR", "/tmp/x")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("unknown configuration variable 'RECIPECI_LOCKDIR'")
                .hasMessageContaining("did you mean 'RECIPECI_LOCK_DIR'");
    }

    @Test
    void everyKeyOfTheTableAndTheTestNamespaceAreAccepted() {
        Map<String, String> params = new HashMap<>(withRecipe());
        for (ConfigKey key : ConfigKey.values()) {
            params.putIfAbsent(key.key(), "");
        }
        params.put("recipeci.it.fixtures", "true");
        Map<String, String> env = Map.of("RECIPECI_GIT_TOKEN", "t0k3n-value", "RECIPECI_PARENT_PID", "1");
        assertThat(resolveGiven(params, env).recipe().value()).isEqualTo("hello");
    }

    @Test
    void keysMavenWasCalledWithAreChecked() {
        assertThat(ConfigSource.mavenCommandLineKeys("-B verify -Drecipe=hello -D recipeci.verison=1 --define=x.y=z"))
                .containsExactly("recipe", "recipeci.verison", "x.y");
        assertThatThrownBy(() -> RunConfig.resolve(
                        ConfigSource.ofSystem(
                                new Properties(),
                                Map.of(
                                        "RECIPECI_RECIPE",
                                        "hello",
                                        "MAVEN_CMD_LINE_ARGS",
                                        " verify -Drecipeci.stagse=x")),
                        Optional.empty()))
                .hasMessageContaining("did you mean 'recipeci.stages'");
    }

    @Test
    void aStageNamedTwiceIsRefused() {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.stages", "install,install")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("names install twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999h", "8d", "P30D", "1s", "29s"})
    void anAbsurdDeadlineIsRefused(String text) {
        assertThatThrownBy(() -> resolve(withRecipe("recipeci.deadline", text)))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipeci.deadline");
    }

    @Test
    void theEnvironmentNamesOfTheTableAreUnique() {
        List<String> names = java.util.Arrays.stream(ConfigKey.values())
                .flatMap(k -> k.envNames().stream())
                .toList();
        assertThat(names).doesNotHaveDuplicates();
    }
}
