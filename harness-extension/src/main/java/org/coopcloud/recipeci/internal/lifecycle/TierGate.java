package org.coopcloud.recipeci.internal.lifecycle;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.GeneratedSecrets;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.report.RunLog;
import org.opentest4j.TestAbortedException;

/**
 * The gate between a deployed app and the tier classes: which tier may run, and each tier's operation (upgrade,
 * backup, restore) done once per run. A tier whose prerequisite failed is skipped as unverified, naming it; a tier
 * that cannot apply is skipped as not applicable. Both are JUnit aborts, so they report as skipped with the reason.
 * An operation's failure is remembered and rethrown to every test of its tier.
 */
final class TierGate {
    private final RunConfig config;
    private final RecipeProfile profile;
    private final LiveApp app;
    private final RecipeSource underTest;
    private final Optional<RecipeSource> upgradeFrom;
    private final TierOperations operations;
    private final DeployDriver driver;
    private final GeneratedSecrets secrets;
    private final RunLog log;
    private final BiFunction<AppDomain, RecipeCiException, String> evidence;
    private final Map<Stage, RuntimeException> failures = new EnumMap<>(Stage.class);
    private final Set<Stage> done = EnumSet.noneOf(Stage.class);

    /**
     * @param upgradeFrom the release deployed first when UPGRADE runs; empty when there is none to upgrade from
     * @param evidence the task table to append to an operation's failure message, unless it already carries one
     */
    TierGate(
            RunConfig config,
            RecipeProfile profile,
            LiveApp app,
            RecipeSource underTest,
            Optional<RecipeSource> upgradeFrom,
            TierOperations operations,
            DeployDriver driver,
            GeneratedSecrets secrets,
            RunLog log,
            BiFunction<AppDomain, RecipeCiException, String> evidence) {
        this.config = config;
        this.profile = profile;
        this.app = app;
        this.underTest = underTest;
        this.upgradeFrom = upgradeFrom;
        this.operations = operations;
        this.driver = driver;
        this.secrets = secrets;
        this.log = log;
        this.evidence = evidence;
    }

    /** Lets a tier class of {@code stage} run: its prerequisites hold and its operation is done. */
    void admit(Stage stage) {
        switch (stage) {
            case INSTALL -> {}
            case UPGRADE -> {
                if (upgradeFrom.isEmpty()) {
                    skip("unverified: recipe '" + config.recipe() + "' has no release before the code under"
                            + " test to upgrade from");
                }
                operate(Stage.UPGRADE);
            }
            case BACKUP -> {
                requireUpgrade();
                requireBackupCapable();
                operate(Stage.BACKUP);
            }
            case RESTORE -> {
                requireUpgrade();
                requireBackupCapable();
                if (!config.stages().contains(Stage.BACKUP)) {
                    skip("unverified: restore needs a backup — add backup to recipeci.stages");
                }
                if (failures.containsKey(Stage.BACKUP)) {
                    skip("unverified: " + firstLine(failures.get(Stage.BACKUP)));
                }
                operate(Stage.BACKUP);
                operate(Stage.RESTORE);
            }
            case CUSTOM -> requireUpgrade();
        }
    }

    /** Whether an operation failed (the app's evidence is then kept before teardown). */
    boolean anyOperationFailed() {
        return !failures.isEmpty();
    }

    /** Tiers after UPGRADE test the code under test: the upgrade must have run, and passed. */
    private void requireUpgrade() {
        if (upgradeFrom.isEmpty()) {
            return;
        }
        if (!done.contains(Stage.UPGRADE) && !failures.containsKey(Stage.UPGRADE)) {
            try {
                operate(Stage.UPGRADE);
            } catch (RecipeCiException e) {
                // recorded; reported below as the reason this tier is unverified
            }
        }
        if (failures.containsKey(Stage.UPGRADE)) {
            skip("unverified: " + firstLine(failures.get(Stage.UPGRADE)));
        }
    }

    private void requireBackupCapable() {
        if (!driver.backupCapable(app.instance())) {
            skip("not applicable: the recipe declares no backupbot.backup labels");
        }
    }

    /** Runs a tier's operation once; its failure is remembered and rethrown to every test of the tier. */
    private void operate(Stage stage) {
        RuntimeException failed = failures.get(stage);
        if (failed != null) {
            throw failed instanceof DeployFailedException
                    ? new DeployFailedException(failed.getMessage(), failed)
                    : new RecipeCiException(failed.getMessage(), failed);
        }
        if (done.contains(stage)) {
            return;
        }
        try {
            profile.beforeOperation(stage, app);
            switch (stage) {
                case UPGRADE -> operations.upgrade(app, underTest, profile);
                case BACKUP -> operations.backup(app, profile);
                case RESTORE -> operations.restore(app, profile);
                default -> throw new IllegalArgumentException(stage + " has no operation");
            }
            done.add(stage);
        } catch (RuntimeException e) {
            String what = stage.name().toLowerCase(Locale.ROOT);
            // The app failing an operation is a verdict; recipe-ci itself failing is not (unverified).
            RecipeCiException recorded = e instanceof RecipeCiException rc
                    ? new DeployFailedException(
                            secrets.redact(what + " failed: " + rc.getMessage() + evidence.apply(app.domain(), rc)))
                    : new RecipeCiException("recipe-ci failed during " + what + ": " + e, e);
            failures.put(stage, recorded);
            log.warn(app.domain() + ": " + firstLine(recorded));
            throw recorded;
        }
    }

    /** Skips the current tier class with {@code reason} (a JUnit abort). */
    static void skip(String reason) {
        throw new TestAbortedException(reason);
    }

    static String firstLine(Throwable e) {
        return String.valueOf(e.getMessage())
                .lines()
                .findFirst()
                .orElse(e.getClass().getSimpleName());
    }
}
