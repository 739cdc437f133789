package org.coopcloud.recipeci.recipes;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The order in which this module's IT classes start (failsafe runs a few side by side): the longest first, so that
 * none of them starts last and runs alone at the end. Measured in full builds on a 2-core machine; a class not named
 * here starts after these, by name.
 *
 * <p>An orderer rather than {@code @Order} on the classes: a recipe run discovers this module's test classes too, and
 * JUnit reports an {@code @Order} that its run's orderer does not read as a discovery issue.
 */
public final class LongestFirst implements ClassOrderer {
    private static final List<String> LONGEST = List.of(
            "FaultMatrixIT",
            "HostFaultsIT",
            "HelloRunIT",
            "NotesRunIT",
            "PgnotesRunIT",
            "BadInputIT",
            "HelloLifetimeIT",
            "PullRequestSourceIT",
            "SigtermAnyInstantIT");

    /** The named classes, longest first. */
    public static List<String> longest() {
        return LONGEST;
    }

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors()
                .sort(Comparator.comparingInt(LongestFirst::rank)
                        .thenComparing(d -> d.getTestClass().getName()));
    }

    private static int rank(ClassDescriptor descriptor) {
        int rank = LONGEST.indexOf(descriptor.getTestClass().getSimpleName());
        return rank < 0 ? LONGEST.size() : rank;
    }
}
