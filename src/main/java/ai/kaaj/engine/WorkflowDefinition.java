package ai.kaaj.engine;

import java.util.List;
import java.util.Optional;

/**
 * A workflow as every engine runs it: the event that starts it, its steps in an order where each
 * step comes after its parents, and the step that runs once when the workflow fails for good.
 * Step routes are direct:&lt;workflow&gt;.&lt;step&gt;.
 */
public record WorkflowDefinition(String name, String displayName, String event, List<StepDefinition> steps,
                                 StepDefinition onFailure) {

    public String routeUri(StepDefinition step) {
        return "direct:" + name + "." + step.name();
    }

    public Optional<StepDefinition> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
    }
}
