package org.coopcloud.recipeci.internal.junit;

import java.util.Comparator;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Tier;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Orders test classes by tier: INSTALL, UPGRADE, BACKUP, RESTORE, CUSTOM; within a tier the generic classes of
 * recipe-ci before the recipe's own, then by name. Classes without {@link Tier} run last. Named in
 * {@code junit.jupiter.testclass.order.default}.
 */
public final class TierClassOrderer implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors()
                .sort(Comparator.comparingInt(TierClassOrderer::stageRank)
                        .thenComparing(d -> !d.getTestClass().getPackageName().equals(RecipeCiMain.GENERIC_TIERS))
                        .thenComparing(d -> d.getTestClass().getName()));
    }

    private static int stageRank(ClassDescriptor descriptor) {
        return descriptor
                .findAnnotation(Tier.class)
                .map(t -> t.value().ordinal())
                .orElse(Stage.values().length);
    }
}
