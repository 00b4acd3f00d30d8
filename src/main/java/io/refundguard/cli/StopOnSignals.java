package io.refundguard.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs a clean stop on SIGINT or SIGTERM while the JVM is fully alive, then lets the command
 * return 128 + the signal's number, as a process killed by it would.
 *
 * <p>Why not only a shutdown hook: the JVM runs all hooks at once, and Flink's and Kafka's own
 * hooks tear the MiniCluster and the broker down under a savepoint in progress (seen here: the
 * savepoint then times out or fails). A handler of our own runs first, alone. A second signal
 * while stopping exits at once, without waiting for the savepoint. The shutdown hook remains for
 * every other way out (SIGHUP, System.exit after a failure) and does the same stop once.
 *
 * <p>A JVM cannot handle a signal that was ignored when it started (a script's background start
 * ignores SIGINT): {@code jobs/refundguard} restores the default first; started otherwise, this
 * says so and SIGTERM still works.
 */
final class StopOnSignals {
    private final Runnable stop;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int exitCode;

    private StopOnSignals(Runnable stop) {
        this.stop = stop;
    }

    /** Installs the handlers and the shutdown hook; {@code stop} runs at most once. */
    static StopOnSignals install(Runnable stop, PrintStream err) {
        StopOnSignals signals = new StopOnSignals(stop);
        for (String name : List.of("INT", "TERM")) {
            SignalHandler previous = Signal.handle(new Signal(name), signals::onSignal);
            if (previous == SignalHandler.SIG_IGN) {
                err.println("refundguard local: SIG" + name + " was ignored when this JVM started (a background start"
                        + " from a script?), so kill -" + name + " cannot stop it; kill -TERM does, and"
                        + " jobs/refundguard starts it with SIGINT restored");
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> signals.stopOnce(0), "refundguard-stop"));
        return signals;
    }

    void onSignal(Signal signal) {
        if (!stopOnce(128 + signal.getNumber())) {
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
    }

    /** Runs the stop unless it ran or runs already; false then. */
    boolean stopOnce(int code) {
        if (!stopping.compareAndSet(false, true)) {
            return false;
        }
        exitCode = code;
        try {
            stop.run();
        } finally {
            stopped.countDown();
        }
        return true;
    }

    /**
     * The exit code once a stop that began has ended (0 if none began): the job's end is the
     * savepoint's, and the broker is still closing then.
     */
    int awaitStop() throws InterruptedException {
        if (stopping.get()) {
            stopped.await();
        }
        return exitCode;
    }
}
