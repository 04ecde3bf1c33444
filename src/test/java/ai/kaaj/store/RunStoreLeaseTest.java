package ai.kaaj.store;

import ai.kaaj.store.RunStore.LeaseLostException;
import ai.kaaj.store.RunStore.RunRow;
import ai.kaaj.store.RunStore.StepRow;
import ai.kaaj.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A worker that lost its run to another worker (its lease ran out while it was paused) can no longer write to
 * that run: every write it tries is refused, and the new holder's record of the run is left as it was.
 */
class RunStoreLeaseTest {

    private static Database database;
    private static Sql sql;
    private static RunStore runs;

    @BeforeAll
    static void open() throws Exception {
        database = TestDatabase.open();
        sql = new Sql(database.dataSource());
        runs = new RunStore(sql, "embedded");
    }

    @AfterAll
    static void close() {
        database.close();
    }

    /** A run claimed by "old" whose lease then ran out, and claimed again by "new", which started its first step. */
    private UUID takenOver() throws Exception {
        UUID id = sql.inTransaction(c -> runs.create(c, "flow", "event", "{}", List.of("first", "second")));
        assertThat(runs.claim("old", Duration.ofMillis(1))).map(RunStore.ClaimedRun::id).contains(id);
        assertThat(runs.startStep(id, "first", "old")).isEqualTo(1);
        Thread.sleep(20);
        assertThat(runs.claim("new", Duration.ofMinutes(1))).map(RunStore.ClaimedRun::id).contains(id);
        assertThat(runs.startStep(id, "first", "new")).isEqualTo(2);
        return id;
    }

    @Test
    void theWorkerThatLostTheRunCanWriteNothingToIt() throws Exception {
        UUID id = takenOver();

        assertThatThrownBy(() -> runs.startStep(id, "second", "old")).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> runs.completeStepAndStart(id, "first", "{\"late\": true}", "second", "old"))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> runs.completeStepAndRun(id, "first", "{\"late\": true}", "old"))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> runs.stepLost(id, "first", "old", "gone")).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> runs.retryLater(id, "first", "old", "broken", Duration.ZERO))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> runs.failRun(id, "first", "old", "broken")).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> runs.completeRun(id, "old")).isInstanceOf(LeaseLostException.class);

        RunRow run = runs.find(id).orElseThrow();
        assertThat(run.status()).isEqualTo("running");
        assertThat(run.error()).isNull();
        StepRow first = step(run, "first");
        assertThat(first.status()).isEqualTo("running");
        assertThat(first.attempts()).isEqualTo(2);
        assertThat(first.output()).isNull();
        assertThat(step(run, "second").status()).isEqualTo("pending");
    }

    @Test
    void theWorkerHoldingTheRunWritesItsStepsAndItsEnd() throws Exception {
        UUID id = takenOver();

        assertThat(runs.completeStepAndStart(id, "first", "{\"done\": 1}", "second", "new")).isEqualTo(1);
        runs.failRun(id, "second", "new", "broken");

        RunRow run = runs.find(id).orElseThrow();
        assertThat(run.status()).isEqualTo("failed");
        assertThat(run.error()).isEqualTo("second: broken");
        assertThat(step(run, "first").status()).isEqualTo("succeeded");
        assertThat(step(run, "first").output()).isEqualTo("{\"done\": 1}");
        assertThat(step(run, "second").status()).isEqualTo("failed");
        assertThat(step(run, "second").error()).isEqualTo("broken");
        assertThatThrownBy(() -> runs.completeRun(id, "new")).as("a finished run is held by nobody")
                .isInstanceOf(LeaseLostException.class);
    }

    @Test
    void theLastStepsSuccessIsTheRuns() throws Exception {
        UUID id = takenOver();

        runs.completeStepAndStart(id, "first", "{\"done\": 1}", "second", "new");
        runs.completeStepAndRun(id, "second", "{\"done\": 2}", "new");

        RunRow run = runs.find(id).orElseThrow();
        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(run.finishedAt()).isNotNull();
        assertThat(run.steps()).extracting(StepRow::status).containsOnly("succeeded");
        assertThat(step(run, "second").output()).isEqualTo("{\"done\": 2}");
    }

    @Test
    void aRetriedStepGoesBackToTheQueueWithItsError() throws Exception {
        UUID id = takenOver();

        runs.retryLater(id, "first", "new", "transient", Duration.ZERO);

        RunRow run = runs.find(id).orElseThrow();
        assertThat(run.status()).isEqualTo("queued");
        assertThat(step(run, "first").status()).isEqualTo("pending");
        assertThat(step(run, "first").error()).isEqualTo("transient");
        assertThat(runs.claim("third", Duration.ofMinutes(1))).map(RunStore.ClaimedRun::id).contains(id);
    }

    private static StepRow step(RunRow run, String name) {
        return run.steps().stream().filter(step -> step.step().equals(name)).findFirst().orElseThrow();
    }
}
