package org.coopcloud.recipeci.internal.lifecycle;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.coopcloud.recipeci.OperationState;

/**
 * What a closed run knows that the test results do not: whether teardown was clean, the lint findings, the
 * versions deployed, and the generated secret values (in memory only, for the leak scan). The entrypoint reads the
 * facts of the run its Launcher just executed.
 *
 * @param installedVersion the version the app was first deployed at
 * @param testedVersion the version of the code under test
 */
public record RunFacts(
        Optional<String> domain,
        boolean teardownClean,
        List<String> leftovers,
        Optional<List<String>> lint,
        Optional<String> installedVersion,
        Optional<String> testedVersion,
        Optional<String> codeUnderTest,
        OperationState operations,
        List<String> secretValues) {

    private static final AtomicReference<RunFacts> LAST = new AtomicReference<>();

    public RunFacts {
        leftovers = List.copyOf(leftovers);
        lint = lint.map(List::copyOf);
        secretValues = List.copyOf(secretValues);
    }

    static void publish(RunFacts facts) {
        LAST.set(facts);
    }

    /** The facts of the last run closed in this JVM. */
    public static Optional<RunFacts> last() {
        return Optional.ofNullable(LAST.get());
    }

    @Override
    public String toString() {
        return "RunFacts[" + domain.orElse("-") + ", teardownClean=" + teardownClean + ", " + secretValues.size()
                + " secret value(s) hidden]";
    }
}
