package org.coopcloud.recipeci.internal.os;

import org.coopcloud.recipeci.internal.junit.RecipeExtension;

/** A bottom-layer class that uses the top of the harness, on purpose: {@code ArchitectureTest} must catch it. */
final class LayerBreach {
    Class<?> above() {
        return RecipeExtension.class;
    }
}
