package ai.kaaj;

import ai.kaaj.config.AppConfig;
import ai.kaaj.config.Settings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.support.service.ServiceSupport;

import java.nio.file.Path;

/**
 * What `camel run` (Camel JBang) needs to run routes/*.camel.yaml as this service: the same settings
 * and beans as bin/kaaj all. deploy/camel-run/KaajBeans.java hands it to Camel JBang.
 */
public class CamelRunConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Settings settings = Settings.from(
                AppConfig.load(Path.of("config/application.properties"), Path.of(".env"), System.getenv()));
        Wiring wiring = Wiring.create(settings, KaajApplication.Role.ALL, "1");
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
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    wiring.close();
                }
            }, true);
        } catch (Exception e) {
            wiring.close();
            throw new IllegalStateException("cannot hook the service's start and stop into Camel", e);
        }
    }
}
