package ai.kaaj.hatchet;

import ai.kaaj.config.HatchetSettings;
import ai.kaaj.config.HatchetToken;
import ai.kaaj.engine.StepDefinition;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.support.TestHatchet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The default TLS strategy against an engine with a certificate of its own CA: trusted through
 * HATCHET_CLIENT_TLS_ROOT_CA_FILE with HATCHET_CLIENT_TLS_SERVER_NAME naming the certificate's host;
 * refused, with the reason, without the CA.
 */
class HatchetTlsTest {

    private static final WorkflowDefinition FLOW = new WorkflowDefinition("tls-flow", "TLS Flow", "tls:event",
            List.of(new StepDefinition("only", List.of(), Duration.ofSeconds(5), 0)),
            new StepDefinition("on-failure", List.of(), Duration.ofSeconds(5), 0));

    @TempDir
    Path dir;

    @Test
    void theEngineIsReachedOverTlsWithTheGivenRootCaAndServerName() throws Exception {
        Path certificate = dir.resolve("engine.pem");
        Path key = dir.resolve("engine.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "1",
                "-subj", "/CN=hatchet.internal", "-addext", "subjectAltName=DNS:hatchet.internal")
                .redirectErrorStream(true).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0)
                .as("openssl made a certificate: %s", new String(openssl.getInputStream().readAllBytes())).isTrue();

        try (TestHatchet engine = new TestHatchet(certificate, key)) {
            HatchetToken claims = HatchetToken.parse(engine.token(), Clock.systemUTC());
            HatchetSettings trusted = new HatchetSettings(engine.token(), claims, engine.hostPort(), true, certificate,
                    "hatchet.internal", "", null, HatchetSettings.StartMode.TRIGGER);
            try (HatchetClient connection = HatchetClient.open(trusted, Duration.ofSeconds(1))) {
                connection.putWorkflows(List.of(FLOW));
            }
            assertThat(engine.workflows()).containsKey("tls-flow");

            HatchetSettings systemRoots = new HatchetSettings(engine.token(), claims, engine.hostPort(), true, null,
                    "hatchet.internal", "", null, HatchetSettings.StartMode.TRIGGER);
            try (HatchetClient connection = HatchetClient.open(systemRoots, Duration.ofSeconds(1))) {
                assertThatThrownBy(() -> connection.putWorkflows(List.of(FLOW)))
                        .isInstanceOf(HatchetException.class)
                        .hasMessageContaining("unreachable while trying to register workflow tls-flow")
                        .hasMessageContaining("certification path");
            }
        }
    }
}
