package org.coopcloud.recipeci.internal.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;

/**
 * Co-op Cloud's conventions for an app's environment, shared by the drivers: the env starts from the recipe's
 * {@code .env.sample} with {@code TYPE} and {@code DOMAIN}; {@code COMPOSE_FILE} names the compose files;
 * {@code STACK_NAME} joins the env at deploy time.
 */
public final class RecipeEnv {
    private RecipeEnv() {}

    /** The recipe's {@code .env.sample} for {@code domain}, with {@code TYPE} and {@code DOMAIN} set. */
    public static AppEnv fromSample(RecipeSource source, AppDomain domain) {
        return sample(source).with("TYPE", source.recipe().value()).with("DOMAIN", domain.value());
    }

    /** The recipe's {@code .env.sample} as it is. */
    public static AppEnv sample(RecipeSource source) {
        Path sample = source.workTree().resolve(".env.sample");
        if (!Files.isRegularFile(sample)) {
            throw new RecipeConfigurationException("recipe '" + source.recipe() + "' at " + source.ref()
                    + " has no .env.sample: a Co-op Cloud recipe needs one (TYPE, DOMAIN, SECRET_*_VERSION)");
        }
        return AppEnv.read(sample);
    }

    /** {@code env} with every entry of {@code extra} set. */
    public static AppEnv with(AppEnv env, Map<String, String> extra) {
        AppEnv result = env;
        for (Map.Entry<String, String> e : extra.entrySet()) {
            result = result.with(e.getKey(), e.getValue());
        }
        return result;
    }

    /**
     * The env of {@code app} after an upgrade to {@code source}: the new release's sample brings new keys, what the
     * app already has (DOMAIN, chosen values) stays, and {@code extra} is set on top.
     */
    public static AppEnv upgraded(AppInstance app, RecipeSource source, Map<String, String> extra) {
        AppEnv env = with(fromSample(source, app.domain()), app.env().asMap());
        return with(env, extra);
    }

    /** The compose files {@code COMPOSE_FILE} names (default {@code compose.yml}); each must exist in the recipe. */
    public static List<String> composeFiles(RecipeSource source, AppEnv env) {
        List<String> files =
                List.of(env.get("COMPOSE_FILE").orElse("compose.yml").split(":"));
        for (String file : files) {
            if (!Files.isRegularFile(source.workTree().resolve(file))) {
                throw new RecipeConfigurationException("recipe '" + source.recipe() + "' at " + source.ref()
                        + " has no " + file + " (named by COMPOSE_FILE or the default compose.yml)");
            }
        }
        return files;
    }

    /** The variables a deploy of {@code stack} interpolates its compose files with. */
    public static Map<String, String> deployEnv(AppEnv env, StackName stack) {
        Map<String, String> vars = new LinkedHashMap<>(env.asMap());
        vars.put("STACK_NAME", stack.value());
        return vars;
    }

    /** The swarm secret names the env declares: {@code <stack>_<name>_<version>}. */
    public static List<String> secretNames(StackName stack, AppEnv env) {
        return env.secretVersions().entrySet().stream()
                .map(s -> stack + "_" + s.getKey() + "_" + s.getValue())
                .toList();
    }
}
