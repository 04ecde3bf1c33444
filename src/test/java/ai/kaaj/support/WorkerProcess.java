package ai.kaaj.support;

import org.awaitility.Awaitility;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real worker process (`KaajApplication worker N`) on this build's classpath, as start_workers.sh
 * runs it, so tests can SIGKILL or SIGTERM it in the middle of a step.
 */
public final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final Path out;

    private WorkerProcess(Process process, Path log, Path out) {
        this.process = process;
        this.log = log;
        this.out = out;
    }

    /** Starts a worker and waits until it has started taking steps. */
    public static WorkerProcess start(int number, String databaseUrl, Path logDir, Map<String, String> env)
            throws Exception {
        WorkerProcess worker = launch(number, databaseUrl, logDir, env);
        worker.awaitLog("started with", Duration.ofSeconds(60));
        return worker;
    }

    /** Starts a worker without waiting for anything (for one expected to refuse to start). */
    public static WorkerProcess launch(int number, String databaseUrl, Path logDir, Map<String, String> env)
            throws Exception {
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The same JVM options bin/kaaj gives a worker.
        Files.readAllLines(Path.of("config/jvm.options")).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(command::add);
        command.addAll(List.of("-Dlog4j2.configurationFile=config/log4j2.properties",
                "-Dkaaj.log.dir=" + logDir, "-Dkaaj.log.name=worker_" + number, "-Dkaaj.console.level=off",
                "-cp", System.getProperty("java.class.path"),
                "ai.kaaj.KaajApplication", "worker", Integer.toString(number)));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("DATABASE_URL", databaseUrl);
        builder.environment().put("KAAJ_HTTP_PORT", "0");
        builder.environment().put("KAAJ_ENGINE_POLL_MS", "200");
        builder.environment().putAll(env);
        Path out = logDir.resolve("worker_" + number + ".out");
        builder.redirectErrorStream(true).redirectOutput(out.toFile());
        return new WorkerProcess(builder.start(), logDir.resolve("worker_" + number + ".log"), out);
    }

    /** What the process wrote to its standard output and error. */
    public String output() throws Exception {
        return Files.exists(out) ? Files.readString(out) : "";
    }

    /** The exit code once the process has ended, or null if it still runs after the timeout. */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                ? process.exitValue() : null;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The worker's child processes (document readers) alive now. */
    public java.util.List<ProcessHandle> children() {
        return process.descendants().filter(ProcessHandle::isAlive).toList();
    }

    public String log() throws Exception {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public void awaitLog(String text, Duration timeout) {
        Awaitility.await("worker log showing '" + text + "'").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .failFast("worker exited", () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("worker exited: " + log());
                    }
                })
                .untilAsserted(() -> assertThat(log()).contains(text));
    }

    /** kill -9: no shutdown hook, no release of its runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as start_workers.sh and systemd send; returns when the process has exited. */
    public boolean terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
