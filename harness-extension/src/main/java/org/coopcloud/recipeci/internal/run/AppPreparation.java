package org.coopcloud.recipeci.internal.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.internal.deploy.AppEnv;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.RecipeEnv;
import org.coopcloud.recipeci.internal.os.HostFaults;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;

/** What the profile does to a created app before its first deploy: the compose overlay, then the install steps. */
final class AppPreparation {
    static final String OVERLAY_FILE = "compose.recipe-ci-overlay.yml";

    private AppPreparation() {}

    /**
     * Copies the profile's compose overlay into the work tree (untracked, so it survives the upgrade's checkout) and
     * appends it to the app's {@code COMPOSE_FILE} chain.
     */
    static AppInstance overlay(RecipeProfile profile, AppInstance instance, Path workTree) {
        if (!copyOverlay(profile, workTree)) {
            return instance;
        }
        String chain = instance.env().get("COMPOSE_FILE").orElse("compose.yml") + ":" + OVERLAY_FILE;
        return withEnv(instance, Map.of("COMPOSE_FILE", chain));
    }

    /**
     * The env the app will be deployed with, as far as it is known before anything is created: the profile's
     * {@code extraEnv} on the sample's, and the {@code COMPOSE_FILE} chain with the profile's overlay (copied into
     * the work tree now), so that a validation sees what docker will deploy.
     */
    static Map<String, String> validationEnv(RecipeProfile profile, RecipeSource source, AppDomain domain) {
        Map<String, String> env = new LinkedHashMap<>(profile.extraEnv());
        if (copyOverlay(profile, source.workTree())) {
            String chain = Optional.ofNullable(env.get("COMPOSE_FILE"))
                    .or(() -> RecipeEnv.fromSample(source, domain).get("COMPOSE_FILE"))
                    .orElse("compose.yml");
            env.put("COMPOSE_FILE", chain + ":" + OVERLAY_FILE);
        }
        return env;
    }

    /** Copies the profile's overlay into the work tree (untracked: it survives checkouts); false without one. */
    private static boolean copyOverlay(RecipeProfile profile, Path workTree) {
        Optional<String> resource = profile.composeOverlay();
        if (resource.isEmpty()) {
            return false;
        }
        ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                .orElse(AppPreparation.class.getClassLoader());
        try (InputStream in = loader.getResourceAsStream(resource.get())) {
            if (in == null) {
                throw new RecipeConfigurationException(
                        "compose overlay " + resource.get() + " is not on the classpath");
            }
            Files.copy(in, workTree.resolve(OVERLAY_FILE), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw HostFaults.io("cannot copy compose overlay " + resource.get() + " into " + workTree, e);
        }
        return true;
    }

    /** The profile's install steps may set env values; they land in the env file before the first deploy. */
    static AppInstance installSteps(RecipeProfile profile, AppInstance instance) {
        Map<String, String> set = new LinkedHashMap<>();
        profile.installSteps(new RecipeProfile.AppSetup() {
            @Override
            public AppDomain domain() {
                return instance.domain();
            }

            @Override
            public Optional<String> env(String key) {
                return Optional.ofNullable(set.get(key)).or(() -> instance.env().get(key));
            }

            @Override
            public void setEnv(String key, String value) {
                if (key == null || !key.matches("[A-Za-z_][A-Za-z0-9_]*") || value == null || value.contains("\n")) {
                    throw new RecipeConfigurationException("installSteps of recipe '" + profile.recipe() + "': " + key
                            + " is not an env variable name with a one-line value");
                }
                set.put(key, value);
            }
        });
        return set.isEmpty() ? instance : withEnv(instance, set);
    }

    private static AppInstance withEnv(AppInstance instance, Map<String, String> values) {
        AppEnv env = instance.env();
        for (Map.Entry<String, String> e : values.entrySet()) {
            env = env.with(e.getKey(), e.getValue());
        }
        env.write(instance.envFile());
        return new AppInstance(instance.recipe(), instance.domain(), instance.envFile(), env, instance.secretNames());
    }
}
