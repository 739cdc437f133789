package org.coopcloud.recipeci.internal.run;

import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.internal.recipe.lint.LintReport;

/**
 * What a closed run knows that the test results do not: whether teardown was clean, what abra's lint rules say, the
 * versions deployed, and the generated secret values (in memory only, for the leak scan). The entrypoint reads them
 * from the run's {@link RunSetup} once its Launcher is done.
 *
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
        Optional<String> codeUnderTest,
        OperationState operations,
        List<String> secretValues) {

    public RunFacts {
        leftovers = List.copyOf(leftovers);
        secretValues = List.copyOf(secretValues);
    }

    @Override
    public String toString() {
        return "RunFacts[" + domain.orElse("-") + ", teardownClean=" + teardownClean + ", " + secretValues.size()
                + " secret value(s) hidden]";
    }
}
