package ai.kaaj.engine;

import java.time.Duration;
import java.util.List;

/** One step of a workflow: a Camel route, the steps whose outputs it needs, its time limit and retries. */
public record StepDefinition(String name, List<String> parents, Duration timeout, int retries) {
}
