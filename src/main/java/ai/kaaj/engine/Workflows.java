package ai.kaaj.engine;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two workflows, read from their route files (routes/lender-processing.camel.yaml and
 * routes/loan-matching.camel.yaml): each step is a route whose group is the workflow and whose
 * description says when it runs, its timeout and its retries, e.g.
 * {@code on lender:document:uploaded; timeout 120s; retries 3} for the step the event starts,
 * {@code after fetch-lender; timeout 120s; retries 2} for a step that needs fetch-lender's output, and
 * {@code on failure; timeout 30s; retries 3} for the step that records a failure. Steps run in file order.
 * The embedded engine and the Hatchet bridge both read these definitions.
 */
public final class Workflows {

    /** The route files, relative to the working directory as camel.main.routesIncludePattern is. */
    public static final Path LENDER_PROCESSING_FILE = Path.of("routes/lender-processing.camel.yaml");
    public static final Path LOAN_MATCHING_FILE = Path.of("routes/loan-matching.camel.yaml");

    public static final WorkflowDefinition LENDER_PROCESSING;
    public static final WorkflowDefinition LOAN_MATCHING;
    /** The events that start them, as the route files say. */
    public static final String LENDER_DOCUMENT_UPLOADED;
    public static final String LOAN_APPLICATION_UPLOADED;

    private static final Pattern TIMEOUT = Pattern.compile("timeout (\\d+)(s|ms)");
    private static final Pattern RETRIES = Pattern.compile("retries (\\d+)");
    private static final Pattern AFTER = Pattern.compile("after ([a-z0-9-]+(?:, [a-z0-9-]+)*)");
    private static final Pattern ON = Pattern.compile("on (\\S+)");

    static {
        List<WorkflowDefinition> read = fromFiles(List.of(LENDER_PROCESSING_FILE, LOAN_MATCHING_FILE));
        LENDER_PROCESSING = named(read.get(0), "lender-processing", LENDER_PROCESSING_FILE);
        LOAN_MATCHING = named(read.get(1), "loan-matching", LOAN_MATCHING_FILE);
        LENDER_DOCUMENT_UPLOADED = LENDER_PROCESSING.event();
        LOAN_APPLICATION_UPLOADED = LOAN_MATCHING.event();
    }

    private Workflows() {
    }

    /** What a run of the workflow is busy with, as errors tell users: "... stopped while reading this document". */
    public static String doing(WorkflowDefinition workflow) {
        if (workflow.name().equals(LENDER_PROCESSING.name())) {
            return "reading this document";
        }
        return workflow.name().equals(LOAN_MATCHING.name()) ? "matching this application" : "running this workflow";
    }

    public static List<WorkflowDefinition> all() {
        return List.of(LENDER_PROCESSING, LOAN_MATCHING);
    }

    public static Optional<WorkflowDefinition> byName(String name) {
        return all().stream().filter(workflow -> workflow.name().equals(name)).findFirst();
    }

    /** The workflow of each route file, in the files' order; read with Camel's own route loader. */
    public static List<WorkflowDefinition> fromFiles(List<Path> files) {
        List<WorkflowDefinition> workflows = new ArrayList<>();
        DefaultCamelContext context = new DefaultCamelContext();
        try {
            for (Path file : files) {
                if (!Files.isReadable(file)) {
                    throw new IllegalStateException("workflow route file " + file.toAbsolutePath() + " is missing");
                }
                int before = context.getRouteDefinitions().size();
                try {
                    PluginHelper.getRoutesLoader(context).loadRoutes(
                            PluginHelper.getResourceLoader(context).resolveResource("file:" + file));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot read workflow route file " + file + ": " + e.getMessage(), e);
                }
                List<RouteDefinition> routes = context.getRouteDefinitions();
                workflows.add(fromRoutes(file.toString(), routes.subList(before, routes.size())));
            }
        } finally {
            context.stop();
        }
        return workflows;
    }

    /**
     * One workflow from the step routes of one file, in their order. Fails naming the route or step when
     * a route belongs to no workflow, a step names a parent that has no route, or a description does not
     * say when the step runs, its timeout and its retries.
     */
    public static WorkflowDefinition fromRoutes(String source, List<RouteDefinition> routes) {
        String name = null;
        String event = null;
        List<StepDefinition> steps = new ArrayList<>();
        StepDefinition onFailure = null;
        for (RouteDefinition route : routes) {
            String group = route.getGroup();
            if (group == null || group.isBlank()) {
                throw new IllegalStateException("route " + route.getRouteId() + " in " + source
                        + " belongs to no workflow: give it the workflow's name as its group");
            }
            if (name == null) {
                name = group;
            } else if (!name.equals(group)) {
                throw new IllegalStateException("route " + route.getRouteId() + " in " + source + " is in workflow "
                        + group + ", the file's other routes in " + name + ": one workflow per file");
            }
            String prefix = group + ".";
            String id = route.getRouteId();
            if (id == null || !id.startsWith(prefix) || id.length() == prefix.length()) {
                throw new IllegalStateException("route " + id + " in " + source + " must be named " + prefix
                        + "<step>");
            }
            String uri = route.getInput() == null ? null : route.getInput().getEndpointUri();
            if (!("direct:" + id).equals(uri)) {
                throw new IllegalStateException("step route " + id + " must start from direct:" + id + ", not " + uri);
            }
            String step = id.substring(prefix.length());
            Description said = describe(id, route.getDescription());
            List<String> known = steps.stream().map(StepDefinition::name).toList();
            for (String parent : said.parents()) {
                if (!known.contains(parent)) {
                    throw new IllegalStateException("step " + parent + " of workflow " + name + ", which " + step
                            + " runs after, has no route before it in " + source);
                }
            }
            StepDefinition definition = new StepDefinition(step, said.parents(), said.timeout(), said.retries());
            if (said.onFailure()) {
                if (onFailure != null) {
                    throw new IllegalStateException("workflow " + name + " has two on-failure steps: "
                            + onFailure.name() + " and " + step);
                }
                onFailure = definition;
                continue;
            }
            if (said.event() != null) {
                if (event != null && !event.equals(said.event())) {
                    throw new IllegalStateException("workflow " + name + " starts on " + event + " and on "
                            + said.event() + ": one event per workflow");
                }
                event = said.event();
            }
            steps.add(definition);
        }
        if (name == null) {
            throw new IllegalStateException(source + " has no step routes");
        }
        if (event == null) {
            throw new IllegalStateException("workflow " + name + " has no step that says which event starts it "
                    + "(description: on <event>; ...)");
        }
        if (onFailure == null) {
            throw new IllegalStateException("workflow " + name + " has no on-failure step (description: on failure; ...)");
        }
        return new WorkflowDefinition(name, displayName(name), event, List.copyOf(steps), onFailure);
    }

    /**
     * Fails, naming it, when a step of the workflows has no route in the running Camel context, or a
     * route of the context is named like a step of a workflow but is not one of its steps.
     */
    public static void checkRoutes(CamelContext context, List<WorkflowDefinition> workflows) {
        Map<String, WorkflowDefinition> stepRoutes = new LinkedHashMap<>();
        for (WorkflowDefinition workflow : workflows) {
            List<StepDefinition> all = new ArrayList<>(workflow.steps());
            all.add(workflow.onFailure());
            for (StepDefinition step : all) {
                String id = workflow.name() + "." + step.name();
                if (context.getRoute(id) == null) {
                    throw new IllegalStateException("step " + step.name() + " of workflow " + workflow.name()
                            + " has no route " + id);
                }
                stepRoutes.put(id, workflow);
            }
        }
        ModelCamelContext model = (ModelCamelContext) context;
        for (Route route : context.getRoutes()) {
            for (WorkflowDefinition workflow : workflows) {
                boolean claims = workflow.name().equals(route.getGroup())
                        || route.getRouteId().startsWith(workflow.name() + ".");
                if (claims && !stepRoutes.containsKey(route.getRouteId())) {
                    throw new IllegalStateException("route " + route.getRouteId() + " belongs to no workflow: it is not a "
                            + "step of " + workflow.name() + " in " + model.getRouteDefinition(route.getRouteId())
                            .getResource());
                }
            }
        }
    }

    private record Description(String event, boolean onFailure, List<String> parents, Duration timeout, int retries) {
    }

    private static Description describe(String routeId, String description) {
        if (description == null || description.isBlank()) {
            throw new IllegalStateException("step route " + routeId + " has no description saying when it runs, "
                    + "its timeout and its retries");
        }
        String event = null;
        boolean onFailure = false;
        List<String> parents = List.of();
        Duration timeout = null;
        Integer retries = null;
        boolean when = false;
        for (String clause : description.split(";")) {
            String part = clause.strip();
            Matcher matcher;
            if (part.equals("on failure")) {
                onFailure = true;
                when = true;
            } else if ((matcher = AFTER.matcher(part)).matches()) {
                parents = List.of(matcher.group(1).split(", "));
                when = true;
            } else if ((matcher = ON.matcher(part)).matches()) {
                event = matcher.group(1);
                when = true;
            } else if ((matcher = TIMEOUT.matcher(part)).matches()) {
                long amount = Long.parseLong(matcher.group(1));
                timeout = matcher.group(2).equals("s") ? Duration.ofSeconds(amount) : Duration.ofMillis(amount);
            } else if ((matcher = RETRIES.matcher(part)).matches()) {
                retries = Integer.parseInt(matcher.group(1));
            } else {
                throw new IllegalStateException("step route " + routeId + ": '" + part + "' in its description is "
                        + "none of: on <event>, after <step>[, <step>], on failure, timeout <n>s, retries <n>");
            }
        }
        if (!when || timeout == null || retries == null) {
            throw new IllegalStateException("step route " + routeId + ": its description '" + description
                    + "' must say when it runs (on <event>, after <step>, on failure), its timeout and its retries");
        }
        return new Description(event, onFailure, parents, timeout, retries);
    }

    /** lender-processing -> Lender Processing. */
    private static String displayName(String name) {
        StringBuilder out = new StringBuilder();
        for (String word : name.split("-")) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
        }
        return out.toString();
    }

    /** The code that starts runs knows each workflow by name: the file must define the workflow of that name. */
    private static WorkflowDefinition named(WorkflowDefinition workflow, String name, Path file) {
        if (!workflow.name().equals(name)) {
            throw new IllegalStateException(file + " must define workflow " + name + ", not " + workflow.name());
        }
        return workflow;
    }
}
