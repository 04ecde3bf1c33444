package ai.kaaj.hatchet;

import ai.kaaj.domain.Json;
import ai.kaaj.hatchet.proto.dispatcher.SDKS;
import ai.kaaj.hatchet.proto.v1.CreateTaskOpts;
import ai.kaaj.hatchet.proto.v1.CreateWorkflowVersionRequest;
import ai.kaaj.support.TestHatchet;
import ai.kaaj.support.TestHatchet.Run;
import ai.kaaj.support.TestHatchet.RunStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Conformance of the test engine with a real client of Hatchet's protocol: the official TypeScript SDK
 * (run by the machine's Node) puts a workflow, registers a worker, triggers a run and works and reports
 * both of its tasks against {@link TestHatchet}. The official client working here, and TestHatchet
 * refusing what the engine refuses (TestHatchetRulesTest), is what makes the bridge's tests against it
 * mean something. Without Node the test is skipped, except in CI, where .ci/run installs it.
 */
class HatchetTypeScriptSdkTest {

    private static final String SDK_VERSION = "1.33.2";
    /** The SDK is installed here, out of the sources: no node_modules or lockfile is committed. */
    private static final Path SDK_HOME = Path.of("target", "hatchet-ts-sdk");
    private static final Path SCRIPT = Path.of("src", "test", "node", "hatchet-ts-conformance.js");

    @Test
    void theOfficialTypeScriptSdkRegistersAWorkflowRunsItAndReportsItsTasks() throws Exception {
        Path modules = installSdk();
        Path log = SDK_HOME.resolve("conformance.log");
        try (TestHatchet engine = new TestHatchet()) {
            ProcessBuilder node = new ProcessBuilder("node", SCRIPT.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            node.environment().put("NODE_PATH", modules.toAbsolutePath().toString());
            node.environment().put("HATCHET_CLIENT_TOKEN", engine.token());
            node.environment().put("HATCHET_CLIENT_HOST_PORT", engine.hostPort());
            node.environment().put("HATCHET_CLIENT_TLS_STRATEGY", "none");
            node.environment().put("HATCHET_CLIENT_WORKER_HEALTHCHECK_ENABLED", "false");
            Process sdk = node.start();
            try {
                Run run;
                try {
                    run = engine.awaitRun(r -> r.workflow.equals("ts-conformance") && r.status != RunStatus.RUNNING,
                            Duration.ofSeconds(90));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nSDK output:\n" + Files.readString(log), e);
                }

                assertThat(run.status).as("SDK output:\n%s", Files.readString(log)).isEqualTo(RunStatus.COMPLETED);
                assertThat(Json.MAPPER.readTree(run.tasks.get("echo").output).path("echoed").asText())
                        .isEqualTo("hello from typescript");
                assertThat(Json.MAPPER.readTree(run.tasks.get("shout").output).path("shouted").asText())
                        .as("the SDK read its parent's output from our payload").isEqualTo("HELLO FROM TYPESCRIPT");
                assertThat(engine.events()).contains("echo:COMPLETED:0", "shout:COMPLETED:0");
                assertThat(Files.readString(log)).contains("TRIGGERED " + run.id);

                CreateWorkflowVersionRequest workflow = engine.workflows().get("ts-conformance");
                assertThat(workflow.getTasksList()).extracting(CreateTaskOpts::getReadableId)
                        .containsExactly("echo", "shout");
                assertThat(workflow.getEventTriggersList()).containsExactly("ts-conformance:run");
                assertThat(engine.workers()).singleElement().satisfies(worker -> {
                    assertThat(worker.registration.getRuntimeInfo().getLanguage()).isEqualTo(SDKS.TYPESCRIPT);
                    assertThat(worker.registration.getRuntimeInfo().getSdkVersion()).isEqualTo(SDK_VERSION);
                    assertThat(worker.slots).isEqualTo(2);
                    assertThat(worker.registration.getActionsList())
                            .containsExactlyInAnyOrder("ts-conformance:echo", "ts-conformance:shout");
                });
            } finally {
                sdk.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The pinned SDK under target/, installed with npm unless already there; skips (outside CI) without Node. */
    private static Path installSdk() throws Exception {
        boolean hasNode = runs(List.of("node", "--version")) && runs(List.of("npm", "--version"));
        if (!hasNode) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Node.js and npm are missing in CI: .ci/run must install them");
            }
            assumeTrue(false, "Node.js and npm are not installed: the TypeScript SDK conformance test is skipped");
        }
        Path modules = SDK_HOME.resolve("node_modules");
        Path installed = modules.resolve("@hatchet-dev/typescript-sdk/package.json");
        if (!Files.exists(installed)
                || !Json.MAPPER.readTree(installed.toFile()).path("version").asText().equals(SDK_VERSION)) {
            Files.createDirectories(SDK_HOME);
            Path npmLog = SDK_HOME.resolve("npm-install.log");
            Process npm = new ProcessBuilder("npm", "install", "--no-save", "--no-package-lock", "--no-audit",
                    "--no-fund", "--prefix", SDK_HOME.toString(), "@hatchet-dev/typescript-sdk@" + SDK_VERSION)
                    .redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                fail("npm could not install the Hatchet TypeScript SDK:\n" + Files.readString(npmLog));
            }
        }
        return modules;
    }

    private static boolean runs(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
