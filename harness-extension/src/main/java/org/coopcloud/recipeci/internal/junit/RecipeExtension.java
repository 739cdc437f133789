package org.coopcloud.recipeci.internal.junit;

import java.util.Optional;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeTest;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.coopcloud.recipeci.internal.config.ConfigSource;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.run.RecipeRun;
import org.coopcloud.recipeci.internal.run.RunSetup;
import org.coopcloud.recipeci.internal.run.TierRecord;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * The extension behind {@link Tier}. It keeps no state of its own: the {@link RecipeRun} lives in the root store, is
 * created by the first tier class, deploys once, and is closed by JUnit after the last class. Under the entrypoint
 * the run's setup comes from the launcher session ({@link RunSession}); otherwise it is prepared here.
 */
public final class RecipeExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver, TestWatcher {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RecipeExtension.class);

    /** Deploys once (first tier class), runs the tier's operation once (first class of the tier). */
    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            run(context).prepare(stage(context));
        } catch (RecipeCiException | TestAbortedException e) {
            // Remembered by the run; each test reports it in beforeEach, so the reports show it per test case.
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        run(context).prepare(stage(context));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (!TierOutcomes.isInterruption(cause)) {
            // A test the run's stop interrupted says nothing: no evidence is kept for it.
            run(context).noteTestFailure();
        }
    }

    private static Stage stage(ExtensionContext context) {
        return context.getTestClass()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, Tier.class))
                .map(Tier::value)
                .orElse(Stage.CUSTOM);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == DeployedApp.class || type == TierRecord.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        RecipeRun run = run(context);
        return parameter.getParameter().getType() == TierRecord.class ? run.record() : run.app();
    }

    static RecipeRun run(ExtensionContext context) {
        Optional<String> annotated = context.getTestClass()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, RecipeTest.class))
                .map(RecipeTest::recipe)
                .filter(r -> !r.isBlank());
        RecipeRun run = context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(RecipeRun.class, key -> newRun(context, annotated), RecipeRun.class);
        annotated.ifPresent(recipe -> {
            if (!recipe.equals(run.config().recipe().value())) {
                throw new RecipeConfigurationException(context.getRequiredTestClass()
                                .getName() + " tests recipe '"
                        + recipe + "' but this run deploys '" + run.config().recipe() + "': run it in a run of its own"
                        + " recipe (-Drecipe=" + recipe + ")");
            }
        });
        return run;
    }

    private static RecipeRun newRun(ExtensionContext context, Optional<String> annotated) {
        Optional<RunSetup> handed = RunSession.handedOver(context);
        if (handed.isPresent()) {
            return RecipeRun.on(handed.get());
        }
        RunConfig config =
                RunConfig.resolve(ConfigSource.ofJUnit(context::getConfigurationParameter, System.getenv()), annotated);
        return RecipeRun.preparing(
                config,
                () -> RunSetup.prepare(config, new RunSecrets(), System.getenv(), Optional.empty(), System.out));
    }
}
