package io.refundguard.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link KafkaBroker} as a process of its own, for {@code refundguard cluster}: arguments
 * {@code DATA_DIR PORT [broker.key=value]...}. Prints {@code ready HOST:PORT} once clients can connect, then runs until
 * it is sent SIGTERM (or SIGINT), when it shuts the broker down cleanly.
 */
public final class BrokerProcess {
    private BrokerProcess() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: BrokerProcess DATA_DIR PORT [broker.key=value]...");
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
        Map<String, String> overrides = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 1) {
                System.err.println("BrokerProcess: expected broker.key=value, got \"" + args[i] + "\"");
                System.exit(2);
            }
            overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        KafkaBroker broker;
        try {
            broker = KafkaBroker.start(Path.of(args[0]), port, overrides);
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
