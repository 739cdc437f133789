package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.List;
import java.util.Optional;

/**
 * R010 (error): some service has the deploy label {@code traefik.enable=true}. abra skips the rule when
 * {@code .env.sample} sets no {@code DOMAIN} (a recipe that is not a web app).
 */
final class R010TraefikEnabled extends AbraRule {
    R010TraefikEnabled() {
        super(
                "R010",
                Severity.ERROR,
                "traefik routing enabled",
                "add the deploy label traefik.enable=true (with its router and service labels) to the web service,"
                        + " under deploy: labels:");
    }

    @Override
    Optional<String> skipReason(LintedRecipe recipe) {
        return recipe.sampleEnv().map(env -> env.containsKey("DOMAIN")).orElse(false)
                ? Optional.empty()
                : Optional.of("abra skips it: .env.sample sets no DOMAIN");
    }

    @Override
    List<String> problems(LintedRecipe recipe) {
        if (recipe.compose().services().stream()
                .anyMatch(s -> "true".equals(s.deployLabels().get("traefik.enable")))) {
            return List.of();
        }
        Optional<ComposeModel.Service> misplaced = recipe.compose().services().stream()
                .filter(s -> "true"
                        .equals(ComposeModel.labels(s.spec().get("labels")).get("traefik.enable")))
                .findFirst();
        return List.of(misplaced
                .map(s -> s.where() + " has traefik.enable=true under labels:, which swarm gives the container,"
                        + " not the service: Traefik's swarm provider reads deploy: labels:")
                .orElse("no service has the deploy label traefik.enable=true"));
    }
}
