package ai.kaaj;

import ai.kaaj.config.AppConfig;
import ai.kaaj.config.Settings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.support.LifecycleStrategySupport;

import java.nio.file.Path;

/**
 * The service's one start-up path into Camel, for bin/kaaj (KaajApplication) and `camel run`
 * (deploy/camel-run/KaajBeans.java): binds the beans the routes call, starts the worker once every
 * route has started, stops it before Camel stops the routes its steps call, and closes the rest after.
 */
public class ServiceConfiguration implements CamelConfiguration {

    private final Wiring wiring;

    /** For `camel run`: the service as `bin/kaaj all`, with the settings from config/, .env and the environment. */
    public ServiceConfiguration() {
        this(Wiring.create(Settings.from(AppConfig.load(Path.of("config/application.properties"), Path.of(".env"),
                System.getenv())), KaajApplication.Role.ALL, "1"));
    }

    ServiceConfiguration(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public void configure(CamelContext context) {
        wiring.bindInto((name, bean) -> context.getRegistry().bind(name, bean));
        try {
            context.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                    // the worker waits until every route has started
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                    wiring.afterCamelStarted(started);
                }
            });
        } catch (Exception e) {
            wiring.close();
            throw new IllegalStateException("cannot hook the service's start into Camel", e);
        }
        // Stopping runs before Camel stops the routes (in-flight steps finish through them); stopped runs after.
        context.addLifecycleStrategy(LifecycleStrategySupport.adapt(
                LifecycleStrategySupport.onCamelContextStopping(stopping -> wiring.stopWorker())));
        context.addLifecycleStrategy(LifecycleStrategySupport.adapt(
                LifecycleStrategySupport.onCamelContextStopped(stopped -> wiring.close())));
    }
}
