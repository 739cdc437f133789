package org.coopcloud.recipeci.internal.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.internal.deploy.AppEnv;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.AppView;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.deploy.DeployDriverFactory;
import org.coopcloud.recipeci.internal.deploy.DriverContext;
import org.coopcloud.recipeci.internal.deploy.FrontDoor;
import org.coopcloud.recipeci.internal.deploy.Snapshot;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.secret.RunSecrets;

/**
 * A deploy driver that records what the extension asks of it ({@code recipeci.driver=fake}); for testing the
 * extension's lifecycle, not deploys. The "app" is whatever answers on {@link #port}.
 */
public final class FakeDriver implements DeployDriver {
    static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());
    /** In a child JVM (an entrypoint run with {@code recipeci.driver=fake}) the app's port comes as a property. */
    static volatile int port = Integer.getInteger("recipeci.it.fake-app-port", 0);

    static final List<String> CREATED_RECIPES = Collections.synchronizedList(new ArrayList<>());
    static volatile String failDeployWith;
    static volatile String failDeployOfRecipe;
    /** Creating this recipe's app fails the way a harness bug would (not a {@code RecipeCiException}). */
    static volatile String failCreateOfRecipe;
    /** The next teardown throws, as a harness bug would. */
    static volatile boolean failNextTeardown;

    static volatile Map<String, String> lastDeployEnv = Map.of();
    static volatile Map<String, String> lastReconfigureExtra = Map.of();
    /** How long a restore takes; without it the fake is not backup-capable and a restore fails. */
    static volatile Duration restoreTakes;
    /** Whether the app has backupbot labels: then backups and restores are recorded, not refused. */
    static volatile boolean backupCapable;
    /** A backup copies one file, /data/dump.sql, which a hook left empty. */
    static volatile boolean emptyDump;
    /** Whether the fake lets a run make its plan ahead (abra's driver does not). */
    static volatile boolean mayPlanAhead = true;

    static void reset(int appPort) {
        EVENTS.clear();
        CREATED_RECIPES.clear();
        port = appPort;
        failDeployWith = null;
        failDeployOfRecipe = null;
        failCreateOfRecipe = null;
        failNextTeardown = false;
        FakeRecipeProfile.reset();
        lastDeployEnv = Map.of();
        lastReconfigureExtra = Map.of();
        restoreTakes = null;
        backupCapable = false;
        emptyDump = false;
        mayPlanAhead = true;
    }

    /** Registered in test resources as a {@link DeployDriverFactory} service. */
    public static final class Factory implements DeployDriverFactory {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public DeployDriver create(DriverContext context) {
            return new FakeDriver();
        }
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public void checkEnvironment() {}

    @Override
    public boolean mayPlanAhead() {
        return mayPlanAhead;
    }

    @Override
    public void validate(RecipeSource source, AppDomain domain, Map<String, String> extra) {}

    @Override
    public AppInstance create(
            RecipeSource source, AppDomain domain, java.util.Map<String, String> extra, RunSecrets secrets) {
        if (source.recipe().value().equals(failCreateOfRecipe)) {
            throw new IllegalStateException("the fake cannot create " + failCreateOfRecipe);
        }
        EVENTS.add("create " + domain);
        CREATED_RECIPES.add(source.recipe().value());
        AppEnv env = AppEnv.parse("TYPE=" + source.recipe(), "fake");
        for (Map.Entry<String, String> e : extra.entrySet()) {
            env = env.with(e.getKey(), e.getValue());
        }
        return new AppInstance(source.recipe(), domain, source.workTree().resolve("app.env"), env, List.of());
    }

    @Override
    public void deploy(AppInstance app, RecipeSource source, Duration timeout) {
        EVENTS.add("deploy");
        lastDeployEnv = app.env().asMap();
        if (failDeployOfRecipe != null && failDeployOfRecipe.equals(app.recipe().value())) {
            throw new DeployFailedException(failDeployOfRecipe + " cannot start");
        }
        if (failDeployWith != null) {
            throw new DeployFailedException(failDeployWith);
        }
    }

    @Override
    public AppInstance reconfigure(
            AppInstance app, RecipeSource source, java.util.Map<String, String> extra, RunSecrets secrets) {
        EVENTS.add("reconfigure");
        lastReconfigureExtra = Map.copyOf(extra);
        return app;
    }

    @Override
    public Snapshot backup(AppInstance app, String id, Path dir) {
        if (!backupCapable) {
            throw new UnsupportedOperationException("not backup-capable");
        }
        EVENTS.add("backup " + id);
        if (emptyDump) {
            try {
                Path copy = Files.createDirectories(dir.resolve("app")).resolve("0");
                Files.write(copy, new byte[0]);
                return new Snapshot(id, dir, List.of(new Snapshot.Entry("fake_app", "/data/dump.sql", copy)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Snapshot(id, dir, List.of());
    }

    @Override
    public void restore(AppInstance app, Snapshot snapshot) {
        Duration takes = restoreTakes;
        if (!backupCapable && takes == null) {
            throw new UnsupportedOperationException("not backup-capable");
        }
        EVENTS.add("restore " + snapshot.id());
        if (takes != null) {
            try {
                Thread.sleep(takes.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Set<AppDomain> listApps() {
        return Set.of();
    }

    @Override
    public List<String> teardown(AppDomain domain) {
        EVENTS.add("teardown " + domain);
        if (failNextTeardown) {
            failNextTeardown = false;
            throw new IllegalStateException("the fake cannot tear " + domain + " down");
        }
        return List.of();
    }

    @Override
    public AppView view() {
        return VIEW;
    }

    /** One converged app service per app; no containers to exec into, nothing left after teardown. */
    private static final AppView VIEW = new AppView() {
        @Override
        public List<ServiceState> services(AppDomain app) {
            return List.of(new ServiceState(app.stackName() + "_app", 1, 1, Optional.empty()));
        }

        @Override
        public Optional<String> versionLabel(AppDomain app) {
            return Optional.of("1.0.0+1.0");
        }

        @Override
        public CommandResult exec(AppDomain app, String service, List<String> argv, Optional<String> stdin) {
            throw new UnsupportedOperationException("the fake driver runs no containers");
        }

        @Override
        public List<String> volumes(AppDomain app) {
            return List.of();
        }

        @Override
        public String logs(AppDomain app, String service, int lines) {
            return "(fake)";
        }

        @Override
        public boolean backupCapable(AppDomain app) {
            return backupCapable;
        }

        @Override
        public Optional<String> backupPath(AppDomain app) {
            return Optional.empty();
        }

        @Override
        public String taskTable(AppDomain app) {
            return "  (fake)";
        }

        @Override
        public List<String> leftovers(AppDomain app) {
            return List.of();
        }

        /** The "app" is whatever answers on {@link #port}, reached as its domain: one router, {@code app}. */
        @Override
        public FrontDoor frontDoor(AppDomain app) {
            return FrontDoor.single(new FrontDoor.Entrance(
                    "app", URI.create("http://127.0.0.1:" + port), app.value(), "the fake driver's app"));
        }
    };
}
