package org.coopcloud.recipeci.internal.junit;

import java.util.Optional;
import org.coopcloud.recipeci.internal.run.RunSetup;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.support.store.Namespace;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Hands the entrypoint's prepared run to the extension: when the launcher session opens, the {@link RunSetup} goes
 * into the session's store, where {@link RecipeExtension} finds it through
 * {@link ExtensionContext.StoreScope#LAUNCHER_SESSION}. Nothing is turned into strings, nothing is static; when the
 * session closes, its store closes the setup. IDE and Surefire runs open sessions without this listener, and the
 * extension then prepares a run of its own.
 */
final class RunSession implements LauncherSessionListener {
    private static final String NAME = "org.coopcloud.recipeci.run";

    private final RunSetup setup;

    RunSession(RunSetup setup) {
        this.setup = setup;
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        session.getStore().put(Namespace.create(NAME), RunSetup.class, setup);
    }

    /** The setup the entrypoint handed over, if this is an entrypoint run. */
    static Optional<RunSetup> handedOver(ExtensionContext context) {
        return Optional.ofNullable(
                context.getStore(ExtensionContext.StoreScope.LAUNCHER_SESSION, ExtensionContext.Namespace.create(NAME))
                        .get(RunSetup.class, RunSetup.class));
    }
}
