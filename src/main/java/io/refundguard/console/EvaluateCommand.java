package io.refundguard.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code refundguard evaluate}: the console's quality page as text, for a backtest. */
@Command(name = "evaluate", sortOptions = false,
        description = "How good the alerts of a replay are: per pattern and rule-set version, cases, confirmed fraud, cleared and precision, then alerts per day. Judged by the console's decisions (--outcomes) and, for the rest, by --labels (as `simulate --labels` writes them).")
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--from", paramLabel = "DIR", required = true, description = "a `replay` output folder")
    Path from;

    @Option(names = "--labels", paramLabel = "FILE", description = "ground truth (simulate --labels)")
    Path labels;

    @Option(names = "--outcomes", paramLabel = "FILE", description = "the console's outcomes file (default: DIR/outcomes.jsonl if present)")
    Path outcomes;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(from)) {
            throw new ParameterException(spec.commandLine(), "--from: " + from + " is not a directory");
        }
        if (labels != null && !Files.isRegularFile(labels)) {
            throw new ParameterException(spec.commandLine(), "--labels: " + labels + " not found");
        }
        CaseBook book;
        Labels truth;
        try {
            book = CaseBook.load(from);
            truth = labels == null ? null : Labels.load(labels);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path outcomesFile = outcomes != null ? outcomes : from.resolve("outcomes.jsonl");
        Map<String, Decision> decisions = Map.of();
        Path journal = DecisionLog.journalOf(outcomesFile);
        if (Files.isRegularFile(journal)) {
            decisions = DecisionLog.open(outcomesFile, journal, Clock.systemUTC()).latestByAlert();
        }
        Viewer operator = new Viewer("evaluate", Viewer.Role.OPERATOR, null);
        Quality.Report report = new Quality(truth).report(book.cases(operator), decisions);
        Quality.print(report, spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
