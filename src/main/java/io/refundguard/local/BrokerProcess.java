package io.refundguard.local;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link KafkaBroker} as a process of its own, for {@code refundguard cluster}: arguments
 * {@code DATA_DIR PORT}. Prints {@code ready HOST:PORT} once clients can connect, then runs until
 * it is sent SIGTERM (or SIGINT), when it shuts the broker down cleanly.
 */
public final class BrokerProcess {
    private BrokerProcess() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: BrokerProcess DATA_DIR PORT");
            System.exit(2);
        }
        int port;
        try {
            port = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            System.err.println("BrokerProcess: PORT must be a number, got \"" + args[1] + "\"");
            System.exit(2);
            return;
        }
        KafkaBroker broker;
        try {
            broker = KafkaBroker.start(Path.of(args[0]), port);
        } catch (RuntimeException e) {
            System.err.println("broker did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping broker " + broker.bootstrapServers());
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        System.out.println("ready " + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
