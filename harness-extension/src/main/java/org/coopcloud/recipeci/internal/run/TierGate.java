package org.coopcloud.recipeci.internal.run;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.HostFaultException;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.lifetime.RunStoppedException;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.os.HostFaults;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.coopcloud.recipeci.internal.text.FailureText;
import org.opentest4j.TestAbortedException;

/**
 * The gate between a deployed app and the tier classes: which tier may run, and each tier's operation (upgrade,
 * backup, restore) done once per run. A tier whose prerequisite failed is skipped as unverified, naming it; a tier
 * that cannot apply is skipped as not applicable. Both are JUnit aborts, so they report as skipped with the reason.
 * An operation's failure is remembered and rethrown to every test of its tier.
 */
final class TierGate {
    private final RunConfig config;
    private final RunPlan plan;
    private final LiveApp app;
    private final TierOperations operations;
    private final RunSecrets secrets;
    private final RunLog log;
    private final Map<Stage, RuntimeException> failures = new EnumMap<>(Stage.class);
    private final Set<Stage> done = EnumSet.noneOf(Stage.class);

    TierGate(RunSetup setup, RunPlan plan, LiveApp app, TierOperations operations) {
        this.config = setup.config();
        this.plan = plan;
        this.app = app;
        this.operations = operations;
        this.secrets = setup.secrets();
        this.log = setup.log();
    }

    /** Lets a tier class of {@code stage} run: its prerequisites hold and its operation is done. */
    void admit(Stage stage) {
        switch (stage) {
            case INSTALL -> {}
            case UPGRADE -> {
                if (plan.upgradeFrom().isEmpty()) {
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
                // BACKUP declared not applicable was skipped before the deploy (RecipeRun.prepare).
                requireUpgrade();
                requireBackupCapable();
                if (!config.stages().contains(Stage.BACKUP)) {
                    skip("unverified: restore needs a backup — add backup to recipeci.stages");
                }
                if (failures.containsKey(Stage.BACKUP)) {
                    skip("unverified: " + FailureText.firstMeaningfulLine(failures.get(Stage.BACKUP)));
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

    /** The first operation that failed, in stage order, for the evidence. */
    Optional<RuntimeException> firstOperationFailure() {
        return failures.values().stream().findFirst();
    }

    /** Tiers after UPGRADE test the code under test: the upgrade must have run, and passed. */
    private void requireUpgrade() {
        if (plan.upgradeFrom().isEmpty()) {
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
            skip("unverified: " + FailureText.firstMeaningfulLine(failures.get(Stage.UPGRADE)));
        }
    }

    private void requireBackupCapable() {
        if (!app.view().backupCapable(app.domain())) {
            skip("not applicable: the recipe declares no backupbot.backup labels");
        }
    }

    /** Runs a tier's operation once; its failure is remembered and rethrown to every test of the tier. */
    private void operate(Stage stage) {
        RuntimeException failed = failures.get(stage);
        if (failed != null) {
            throw failed instanceof DeployFailedException
                    ? new DeployFailedException(failed.getMessage(), failed)
                    : failed instanceof HostFaultException
                            ? new HostFaultException(failed.getMessage(), failed)
                            : failed instanceof RunStoppedException
                                    ? new RunStoppedException(failed.getMessage(), failed)
                                    : new RecipeCiException(failed.getMessage(), failed);
        }
        if (done.contains(stage)) {
            return;
        }
        try {
            plan.profile().beforeOperation(stage, app);
            switch (stage) {
                case UPGRADE -> operations.upgrade(plan.underTest(), plan.profile());
                case BACKUP -> operations.backup(plan.profile());
                case RESTORE -> operations.restore();
                default -> throw new IllegalArgumentException(stage + " has no operation");
            }
            done.add(stage);
        } catch (RuntimeException e) {
            String what = stage.name().toLowerCase(Locale.ROOT);
            RuntimeException host = HostFaults.classify(e);
            // The app failing an operation is a verdict; the run stopped, the host or recipe-ci failing is not
            // (unverified).
            RecipeCiException recorded =
                    e instanceof RunStoppedException || Thread.currentThread().isInterrupted()
                            ? new RunStoppedException(what + " was stopped: " + FailureText.firstMeaningfulLine(e), e)
                            : host instanceof HostFaultException
                                    ? new HostFaultException(secrets.redact(what + " failed: " + host.getMessage()), e)
                                    : e instanceof RecipeCiException rc
                                            ? new DeployFailedException(secrets.redact(what + " failed: "
                                                    + rc.getMessage() + Evidence.taskTableUnlessShown(app, rc)))
                                            : new RecipeCiException("recipe-ci failed during " + what + ": " + e, e);
            failures.put(stage, recorded);
            log.warn(app.domain() + ": " + FailureText.firstMeaningfulLine(recorded));
            throw recorded;
        }
    }

    /** Skips the current tier class with {@code reason} (a JUnit abort). */
    static void skip(String reason) {
        throw new TestAbortedException(reason);
    }
}
