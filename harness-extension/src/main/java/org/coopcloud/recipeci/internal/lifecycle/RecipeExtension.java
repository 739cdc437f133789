package org.coopcloud.recipeci.internal.lifecycle;

import java.util.Optional;
import org.coopcloud.recipeci.DeployedApp;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeTest;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link RecipeTest}. It keeps no state of its own: the {@link RecipeRun} lives in the root
 * store, is created by the first tier class, deploys once, and is closed by JUnit after the last class.
 */
public final class RecipeExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RecipeExtension.class);

    /** Deploys once, before the first test of the first tier class. */
    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            run(context).app();
        } catch (RecipeCiException e) {
            // Remembered by the run; each test reports it in beforeEach, so the reports show it per test case.
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        run(context).app();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DeployedApp.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return run(context).app();
    }

    static RecipeRun run(ExtensionContext context) {
        Optional<String> annotated = context.getTestClass()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, RecipeTest.class))
                .map(RecipeTest::recipe)
                .filter(r -> !r.isBlank());
        RecipeRun run = context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(
                        RecipeRun.class,
                        key -> RecipeRun.open(RunConfig.resolve(
                                RunConfig.Source.of(context::getConfigurationParameter, System.getenv()), annotated)),
                        RecipeRun.class);
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
}
