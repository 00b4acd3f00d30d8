package io.refundguard.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every launcher command shares: {@code -h}/{@code --help}, and the streams it reads and
 * prints to ({@link Main} hands them in, so tests run a command in-process). A command's
 * {@link #call()} returns its exit code and throws {@link UsageException} for a user's mistake;
 * {@link Main} prints every failure as one line.
 */
public abstract class CliCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    protected CommandSpec spec;

    private InputStream in = System.in;
    private PrintStream out = System.out;
    private PrintStream err = System.err;

    final void attach(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    protected InputStream in() {
        return in;
    }

    protected PrintStream out() {
        return out;
    }

    protected PrintStream err() {
        return err;
    }

    /** {@code refundguard <command>}: how messages of this command begin. */
    protected String name() {
        return spec.qualifiedName(" ");
    }
}
