package io.refundguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.cli.KafkaCliSupport.CommandFailure;
import io.refundguard.job.RefundGuardJob;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stop}: stop-with-savepoint through the REST API ({@code POST /jobs/<id>/stop}, then poll
 * the savepoint trigger). Prints the savepoint's path alone on standard output, for
 * {@code submit --from-savepoint}.
 */
@Command(name = "stop", sortOptions = false, description = {
        "Stop the job with a savepoint and print its path.",
        "Stops the job with a savepoint and prints the savepoint's path (alone on standard output)."})
public final class StopCommand extends CliCommand {
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{32}");

    @Option(names = "--rest", paramLabel = "URL",
            description = "The cluster's REST endpoint (default: the `cluster` in --dir, else "
                    + "http://127.0.0.1:8081).")
    private String rest;

    @Option(names = "--job", paramLabel = "ID",
            description = "The job to stop (default: the one running RefundGuard job).")
    private String job;

    @Option(names = "--savepoint-dir", paramLabel = "DIR",
            description = "Where to write it (default: the cluster's execution.checkpointing.savepoint-dir).")
    private String savepointDir;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "How long to wait for the savepoint (default 120).")
    private int timeoutSeconds = 120;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "A cluster started by `refundguard cluster` (default var/cluster).")
    private Path dirOption;

    @Override
    public Integer call() throws CommandFailure {
        PrintStream out = out();
        PrintStream err = err();
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new UsageException("--timeout expects 1 to 3600 seconds");
        }
        Path dir = (dirOption != null ? dirOption : Path.of("var/cluster")).toAbsolutePath().normalize();
        Properties cluster = Files.isRegularFile(dir.resolve(ClusterCommand.STATE_FILE))
                ? new ClusterCommand.Layout(dir).readState() : new Properties();
        String restUrl = rest != null ? rest : cluster.containsKey("restPort")
                ? "http://127.0.0.1:" + cluster.getProperty("restPort") : "http://127.0.0.1:8081";
        FlinkRest flink = new FlinkRest(restUrl);

        String jobId = job != null ? job : runningJob(flink);
        if (!JOB_ID.matcher(jobId).matches()) {
            throw new UsageException("--job expects a job id (32 hex digits), got \"" + jobId + "\"");
        }
        try {
            String state = flink.get("/jobs/" + jobId).path("state").asText();
            if (!state.equals("RUNNING")) {
                throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "job " + jobId + " is " + state + ", not running");
            }
        } catch (FlinkRest.HttpFailure e) {
            if (e.status == 404) {
                throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "no such job at " + restUrl + ": " + jobId);
            }
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "cannot look up job " + jobId + ": " + e.getMessage());
        }
        ObjectNode body = FlinkRest.JSON.createObjectNode();
        body.put("drain", false);
        body.put("formatType", "CANONICAL");
        if (savepointDir != null) {
            String target = savepointDir;
            body.put("targetDirectory", target.contains("://") ? target : Path.of(target).toAbsolutePath().toUri().toString());
        }
        long began = System.nanoTime();
        String trigger;
        try {
            trigger = flink.post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
        } catch (FlinkRest.HttpFailure e) {
            if (e.status == 404) {
                throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "no such job at " + restUrl + ": " + jobId);
            }
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "the cluster refused to stop job " + jobId + ": "
                    + e.getMessage());
        }
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode status;
            try {
                status = flink.get("/jobs/" + jobId + "/savepoints/" + trigger);
            } catch (FlinkRest.HttpFailure e) {
                throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "cannot follow the savepoint of job " + jobId + ": "
                        + e.getMessage());
            }
            if (status.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = status.path("operation");
                if (operation.hasNonNull("location")) {
                    String location = operation.path("location").asText();
                    err.printf("stopped job %s with a savepoint in %.1f s%n", jobId, (System.nanoTime() - began) / 1e9);
                    out.println(location);
                    return 0;
                }
                String cause = operation.path("failure-cause").path("stack-trace").asText(
                        operation.path("failure-cause").path("class").asText("unknown failure"));
                throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "the savepoint failed; the job keeps running: "
                        + FlinkRest.errorMessage(FlinkRest.JSON.createObjectNode().set("errors",
                                FlinkRest.JSON.createArrayNode().add(cause)), 500));
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "interrupted");
            }
        }
        throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "the savepoint of job " + jobId + " did not complete within "
                + timeoutSeconds + " s; check " + restUrl + "/#/job/running/" + jobId);
    }

    /** The one running RefundGuard job; anything else asks the user to say which. */
    private static String runningJob(FlinkRest flink) throws CommandFailure {
        JsonNode jobs;
        try {
            jobs = flink.get("/jobs/overview").path("jobs");
        } catch (FlinkRest.HttpFailure e) {
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "cannot list jobs at " + flink.url() + ": " + e.getMessage());
        }
        List<String> running = new ArrayList<>();
        for (JsonNode job : jobs) {
            if (job.path("state").asText().equals("RUNNING") && job.path("name").asText().equals(RefundGuardJob.JOB_NAME)) {
                running.add(job.path("jid").asText());
            }
        }
        if (running.isEmpty()) {
            throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "no running " + RefundGuardJob.JOB_NAME + " job at " + flink.url());
        }
        if (running.size() > 1) {
            throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, running.size() + " " + RefundGuardJob.JOB_NAME
                    + " jobs are running at " + flink.url() + "; say which with --job " + String.join(" | --job ", running));
        }
        return running.get(0);
    }
}
