package org.coopcloud.recipeci.architecture.loop.up;

import org.coopcloud.recipeci.architecture.loop.down.Down;

/** Half of a package loop made on purpose: {@code ArchitectureTest} must catch it. */
public final class Up {
    public Down down() {
        return new Down();
    }
}
