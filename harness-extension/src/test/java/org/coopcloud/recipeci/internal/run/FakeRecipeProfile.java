package org.coopcloud.recipeci.internal.run;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.Stage;

/** The profile of the lifecycle tests' recipe; each test switches on what it needs, {@link #reset()} clears it. */
public final class FakeRecipeProfile implements RecipeProfile {
    static volatile boolean withDependency;
    /** Declared after fake-dep (with {@link #withDependency}). */
    static volatile List<String> moreDependencies = List.of();

    static volatile Map<String, String> extraEnv = Map.of();
    static volatile Map<String, String> upgradeExtraEnv = Map.of();
    static volatile Map<String, String> installSteps = Map.of();
    static volatile Optional<String> overlay = Optional.empty();
    static volatile Map<Stage, String> notApplicable = Map.of();
    static volatile Optional<String> markerPath = Optional.empty();
    static volatile boolean backupVerify;

    static void reset() {
        withDependency = false;
        moreDependencies = List.of();
        extraEnv = Map.of();
        upgradeExtraEnv = Map.of();
        installSteps = Map.of();
        overlay = Optional.empty();
        notApplicable = Map.of();
        markerPath = Optional.empty();
        backupVerify = false;
    }

    @Override
    public boolean backupVerify() {
        return backupVerify;
    }

    @Override
    public Optional<String> markerPath() {
        return markerPath;
    }

    @Override
    public Map<Stage, String> notApplicable() {
        return notApplicable;
    }

    @Override
    public String recipe() {
        return "fake-recipe";
    }

    @Override
    public List<RecipeName> dependencies() {
        return withDependency
                ? Stream.concat(Stream.of("fake-dep"), moreDependencies.stream())
                        .map(RecipeName::new)
                        .toList()
                : List.of();
    }

    @Override
    public Map<String, String> extraEnv() {
        return extraEnv;
    }

    @Override
    public Map<String, String> upgradeExtraEnv() {
        return upgradeExtraEnv;
    }

    @Override
    public Optional<String> composeOverlay() {
        return overlay;
    }

    @Override
    public void installSteps(AppSetup setup) {
        installSteps.forEach(setup::setEnv);
    }

    @Override
    public void beforeOperation(Stage stage, DeployedApp app) {
        FakeDriver.EVENTS.add("before " + stage);
    }
}
