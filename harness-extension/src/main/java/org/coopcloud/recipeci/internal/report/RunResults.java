package org.coopcloud.recipeci.internal.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.recipe.lint.Finding;
import org.coopcloud.recipeci.internal.recipe.lint.LintReport;
import org.coopcloud.recipeci.internal.recipe.lint.Severity;

/**
 * The results of one run, for machines ({@code results.json}), for a pull-request comment ({@code summary.md}) and
 * for the console (a rung table), with what abra's lint rules say: errors fail the L5 rung, warnings are listed.
 *
 * @param leftBehind what teardown could not remove (the next janitor removes it), or kept for debugging
 * @param exitCode the run's exit code; {@value #UNFINISHED} while it runs (the provisional results, which stay when
 *     the run is killed before it writes its own)
 * @param lint the lint report; absent when the recipe was never checked out
 */
public record RunResults(
        RunConfig config,
        Ladder.Result ladder,
        TierResults outcomes,
        Optional<String> domain,
        Optional<String> installedVersion,
        Optional<String> testedVersion,
        Optional<String> codeUnderTest,
        boolean cleanTeardown,
        List<String> leftBehind,
        List<Path> leaks,
        int exitCode,
        Optional<LintReport> lint) {

    /** The exit code of results written while the run still runs. */
    public static final int UNFINISHED = -1;

    private static final ObjectMapper JSON = new ObjectMapper();

    public RunResults {
        leftBehind = List.copyOf(leftBehind);
        leaks = List.copyOf(leaks);
    }

    /**
     * The results of a run that never reached its tiers (or has not finished yet): every rung unverified for
     * {@code reason}.
     */
    public static RunResults notRun(RunConfig config, String reason, int exitCode) {
        return new RunResults(
                config,
                Ladder.notRun(config.stages(), reason),
                new TierResults(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                true,
                List.of(),
                List.of(),
                exitCode,
                Optional.empty());
    }

    public boolean finished() {
        return exitCode != UNFINISHED;
    }

    public boolean noSecretLeak() {
        return leaks.isEmpty();
    }

    public String level() {
        return "L" + ladder.level();
    }

    /** Writes {@code results.json} and {@code summary.md} (see {@link ResultsFiles} for how they survive a full disk). */
    public void write(Path runDir) throws IOException {
        ResultsFiles.replace(runDir.resolve("results.json"), json());
        ResultsFiles.replace(runDir.resolve("summary.md"), markdown().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code results.json}'s content. */
    byte[] json() throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("recipe", config.recipe().value());
        json.put("run_id", config.runId().value());
        json.put("level", level());
        json.put("cap_reason", ladder.capReason().orElse(null));
        json.put(
                "rungs",
                ladder.rungs().stream()
                        .map(r -> {
                            Map<String, Object> rung = new LinkedHashMap<>();
                            rung.put("level", r.label());
                            rung.put("name", r.name());
                            rung.put("status", r.status().word());
                            rung.put("reason", r.reason().isEmpty() ? null : r.reason());
                            if (r.hasMoreDetail()) {
                                rung.put("detail", r.detail());
                            }
                            return rung;
                        })
                        .toList());
        json.put(
                "stages",
                config.stages().stream()
                        .map(s -> s.name().toLowerCase(Locale.ROOT))
                        .toList());
        Map<String, Double> timings = new LinkedHashMap<>();
        for (Stage stage : Stage.values()) {
            timings.put(
                    stage.name().toLowerCase(Locale.ROOT),
                    outcomes.duration(stage).toMillis() / 1000.0);
        }
        json.put("tier_seconds", timings);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (TierResults.Kind kind : TierResults.Kind.values()) {
            counts.put(kind.name().toLowerCase(Locale.ROOT), 0);
        }
        for (Stage stage : Stage.values()) {
            outcomes.of(stage).forEach(o -> counts.merge(o.kind().name().toLowerCase(Locale.ROOT), 1, Integer::sum));
        }
        json.put("tests", counts);
        json.put(
                "failed_tests",
                failures().stream()
                        .map(f -> {
                            Map<String, Object> failure = new LinkedHashMap<>();
                            failure.put("stage", f.stage().name().toLowerCase(Locale.ROOT));
                            failure.put("kind", f.outcome().kind().name().toLowerCase(Locale.ROOT));
                            failure.put("test", f.outcome().test());
                            failure.put("reason", f.outcome().reason());
                            return failure;
                        })
                        .toList());
        json.put("domain", domain.orElse(null));
        json.put("installed_version", installedVersion.orElse(null));
        json.put("tested_version", testedVersion.orElse(null));
        json.put("code_under_test", codeUnderTest.orElse(null));
        json.put("clean_teardown", cleanTeardown);
        json.put("left_behind", leftBehind);
        json.put("no_secret_leak", noSecretLeak());
        json.put("finished", finished());
        json.put("exit_code", finished() ? exitCode : null);
        json.put("lint", lint.map(RunResults::lintJson).orElse(null));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
    }

    /** A summary fit for a pull-request comment. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("### recipe-ci: `")
                .append(config.recipe())
                .append("` — **")
                .append(level())
                .append("**");
        md.append(!finished() ? " ⏳ (did not finish)" : exitCode == 0 ? " ✅" : " ❌")
                .append("\n\n");
        codeUnderTest.ifPresent(c -> md.append("Code under test: `").append(c).append("`"));
        testedVersion.ifPresent(v -> md.append(" (version `").append(v).append("`)"));
        installedVersion
                .filter(v -> config.stages().contains(Stage.UPGRADE))
                .ifPresent(v -> md.append(", first deployed at `").append(v).append("` to upgrade from"));
        md.append("\n\n| rung | | status | reason |\n|---|---|---|---|\n");
        for (Ladder.Rung r : ladder.rungs()) {
            md.append("| ")
                    .append(r.label())
                    .append(" | ")
                    .append(r.name())
                    .append(" | ")
                    .append(icon(r.status()))
                    .append(' ')
                    .append(r.status().word())
                    .append(" | ")
                    .append(r.reason().replace("|", "\\|"))
                    .append(" |\n");
        }
        ladder.capReason().ifPresent(c -> md.append("\nCapped at ")
                .append(level())
                .append(": ")
                .append(c)
                .append('\n'));
        ladder.capping().filter(Ladder.Rung::hasMoreDetail).ifPresent(r -> md.append("\n<details><summary>")
                .append(r.label())
                .append(' ')
                .append(r.name())
                .append(": the whole failure</summary>\n\n")
                .append(fenced(r.detail()))
                .append("\n</details>\n"));

        failedTestsMarkdown(md);
        lint.ifPresent(report -> lintMarkdown(report, md));
        md.append("\nTeardown ")
                .append(cleanTeardown ? "clean" : "**left things behind**")
                .append(leftBehind.isEmpty() ? "" : " (" + String.join(", ", leftBehind) + ")")
                .append(" · secrets ")
                .append(noSecretLeak() ? "not leaked" : "**leaked into reports**")
                .append(" · run `")
                .append(config.runId())
                .append("`\n");
        return md.toString();
    }

    /** At most this many lines of failed tests in summary.md (and so in the PR comment); results.json has all. */
    static final int FAILED_TESTS_SHOWN = 20;

    /** A test that failed (or errored), with its stage. */
    private record Failure(Stage stage, TierResults.Outcome outcome) {}

    /** Why tests of a stage failed: its operation's failure is the one cause of all its tests. */
    private record Cause(Stage stage, String reason) {}

    private List<Failure> failures() {
        List<Failure> failures = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            outcomes.of(stage).stream()
                    .filter(o -> o.kind() == TierResults.Kind.FAILED || o.kind() == TierResults.Kind.ERRORED)
                    .forEach(o -> failures.add(new Failure(stage, o)));
        }
        return failures;
    }

    /**
     * Every failed test, not only the one the table names for its rung (a rung names its first); the tests of a stage
     * that failed with one reason (its operation's) share a line.
     */
    private void failedTestsMarkdown(StringBuilder md) {
        List<Failure> failures = failures();
        if (failures.size() < 2) {
            return;
        }
        Map<Cause, List<String>> byCause = new LinkedHashMap<>();
        failures.forEach(
                f -> byCause.computeIfAbsent(new Cause(f.stage(), f.outcome().reason()), k -> new ArrayList<>())
                        .add(f.outcome().test()));
        md.append("\n").append(failures.size()).append(" failed tests:\n\n");
        int shown = 0;
        for (Map.Entry<Cause, List<String>> cause : byCause.entrySet()) {
            if (shown == FAILED_TESTS_SHOWN) {
                md.append("- … and ")
                        .append(byCause.size() - shown)
                        .append(" more in results.json and the JUnit XML report\n");
                break;
            }
            List<String> tests = cause.getValue();
            md.append("- ")
                    .append(cause.getKey().stage())
                    .append(" · ")
                    .append(tests.get(0))
                    .append(tests.size() > 1 ? " (and " + (tests.size() - 1) + " more of its tests)" : "")
                    .append(": ")
                    .append(cause.getKey().reason())
                    .append('\n');
            shown++;
        }
    }

    /** The rung table for the console summary. */
    public void print(PrintStream out) {
        out.printf(
                "level      %s%s%n",
                level(), ladder.capReason().map(c -> " (capped: " + c + ")").orElse(""));
        for (Ladder.Rung r : ladder.rungs()) {
            out.printf(
                    "  %-3s %-15s %-11s %s%n",
                    r.label(),
                    r.name(),
                    r.status().word(),
                    r.reason().length() > 90 ? r.reason().substring(0, 90) + "…" : r.reason());
        }
        lint.ifPresent(report -> {
            out.printf("lint       %s%n", report.summary());
            report.findings().forEach(f -> {
                out.printf(
                        "  %-4s %-5s %s%n",
                        f.rule(),
                        f.severity().word(),
                        f.oneLine().substring(f.rule().length() + 1));
                out.printf("             fix: %s%n", f.fix());
            });
        });
        out.printf("flags      clean_teardown=%s no_secret_leak=%s%n", cleanTeardown, noSecretLeak());
        leftBehind.forEach(l -> out.println("  !! left behind for the next run's janitor: " + l));
        leaks.forEach(p -> out.println("  !! a generated secret value appears in " + p));
    }

    /** At most this many lines of a failure go into the summary; the rest is in the JUnit XML and the evidence. */
    static final int DETAIL_LINES = 80;

    /** {@code text} in a code block whose fence no backtick run inside it can close. */
    static String fenced(String text) {
        List<String> lines = text.strip().lines().toList();
        String shown = String.join("\n", lines.subList(0, Math.min(lines.size(), DETAIL_LINES)))
                + (lines.size() > DETAIL_LINES
                        ? "\n… (" + (lines.size() - DETAIL_LINES) + " more lines in the JUnit XML report)"
                        : "");
        int longest = 0;
        Matcher ticks = BACKTICKS.matcher(shown);
        while (ticks.find()) {
            longest = Math.max(longest, ticks.group().length());
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        return fence + "\n" + shown + "\n" + fence;
    }

    private static final Pattern BACKTICKS = Pattern.compile("`+");

    /** abra's lint rules: a table of the unsatisfied ones (errors first), and the ones not judged. */
    private static void lintMarkdown(LintReport report, StringBuilder md) {
        md.append("\n**Lint** (abra's rules): ").append(report.summary()).append('\n');
        if (!report.findings().isEmpty()) {
            md.append("\n| rule | | severity | found | fix |\n|---|---|---|---|---|\n");
            List<Finding> ordered = new ArrayList<>(report.errors());
            ordered.addAll(report.warnings());
            for (Finding f : ordered) {
                md.append("| ")
                        .append(f.rule())
                        .append(" | ")
                        .append(cell(f.description()))
                        .append(" | ")
                        .append(f.severity() == Severity.ERROR ? "❌ error" : "⚠️ warn")
                        .append(" | ")
                        .append(cell(String.join("; ", f.problems())))
                        .append(" | ")
                        .append(cell(f.fix()))
                        .append(" |\n");
            }
        }
        if (!report.notJudged().isEmpty()) {
            md.append("\nNot judged: ")
                    .append(String.join(
                            "; ",
                            report.notJudged().stream()
                                    .map(n -> n.rule() + " (" + n.reason() + ")")
                                    .toList()))
                    .append('\n');
        }
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static Map<String, Object> lintJson(LintReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("passes", report.passes());
        json.put("unreadable", report.unreadable().orElse(null));
        json.put(
                "findings",
                report.findings().stream()
                        .map(f -> {
                            Map<String, Object> finding = new LinkedHashMap<>();
                            finding.put("rule", f.rule());
                            finding.put("severity", f.severity().word());
                            finding.put("description", f.description());
                            finding.put("problems", f.problems());
                            finding.put("fix", f.fix());
                            return finding;
                        })
                        .toList());
        json.put(
                "not_judged",
                report.notJudged().stream()
                        .map(n -> Map.of("rule", n.rule(), "reason", n.reason()))
                        .toList());
        return json;
    }

    private static String icon(Ladder.Status status) {
        return switch (status) {
            case PASS -> "✅";
            case FAIL -> "❌";
            case SKIP -> "➖";
            case UNVERIFIED -> "⚠️";
        };
    }
}
