import org.apache.camel.Configuration;

/** Given to `camel run` with the routes: builds this service's beans (see ai.kaaj.ServiceConfiguration). */
@Configuration
public class KaajBeans extends ai.kaaj.ServiceConfiguration {
}
