package org.coopcloud.recipeci.internal.run;

import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.internal.recipe.lint.LintReport;

/**
 * What a closed run knows that the test results do not: whether teardown was clean and what it left, what abra's lint
 * rules say, the versions deployed. The entrypoint reads them from the run's {@link RunSetup} once its Launcher is
 * done.
 *
 * @param leftovers what teardown could not remove (the next janitor's), or what was kept for debugging
 * @param installedVersion the version the app was first deployed at
 * @param testedVersion the version of the code under test
 */
public record RunFacts(
        Optional<String> domain,
        boolean teardownClean,
        List<String> leftovers,
        Optional<LintReport> lint,
        Optional<String> installedVersion,
        Optional<String> testedVersion,
        Optional<String> codeUnderTest) {

    public RunFacts {
        leftovers = List.copyOf(leftovers);
    }
}
