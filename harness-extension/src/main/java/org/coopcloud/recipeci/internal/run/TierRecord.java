package org.coopcloud.recipeci.internal.run;

import java.util.Optional;

/**
 * What the tier operations did to the app — the markers written, the snapshot taken, the apps created — for the
 * generic tiers' checks. A tier test method receives it as a parameter; recipe tests have no need of it.
 */
public final class TierRecord {
    private final TierOperations operations;

    TierRecord(TierOperations operations) {
        this.operations = operations;
    }

    public OperationState state() {
        return operations.state();
    }

    /** The state marker the app holds now (see {@code RecipeProfile#markerPath()}); empty when none. */
    public Optional<String> markerNow() {
        return operations.markerNow();
    }
}
