package ai.kaaj.it;

import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestApp.Response;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What operators watch: route statistics over JMX and the Prometheus text at /metrics move with the work. */
class ObservabilityTest {

    @Test
    void routeStatisticsAndMetricsMoveWhenADocumentIsProcessed() throws Exception {
        try (TestApp app = TestApp.start(Map.of())) {
            long before = exchangesTotal("lender-processing.extract-text");
            Response upload = app.upload("/api/lenders/upload", "jmx.txt",
                    "Minimum FICO: 650\nMaximum term: 60 months\n".getBytes(StandardCharsets.UTF_8),
                    Map.of("name", "Metrics Leasing"));
            app.awaitLenderProcessed(upload.json().path("lender_id").asLong());

            assertThat(exchangesTotal("lender-processing.extract-text")).isEqualTo(before + 1);
            assertThat(exchangesTotal("api.upload-lender")).isGreaterThanOrEqualTo(1);

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(app.baseUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(value(metrics, "kaaj_document_pages_total\\{method=\"text\"\\}")).isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "kaaj_criteria_extracted_total\\{source=\"rules\"\\}")).isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "kaaj_workflow_runs_total\\{status=\"succeeded\",workflow=\"lender-processing\"\\}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "camel_exchanges_total\\{[^}]*routeId=\"lender-processing.update-lender\"[^}]*\\}"))
                    .isGreaterThanOrEqualTo(1);
        }
    }

    private static long exchangesTotal(String routeId) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(
                new ObjectName("org.apache.camel:type=routes,name=\"" + routeId + "\",*"), null);
        assertThat(names).as("route MBean for %s", routeId).hasSize(1);
        return (Long) server.getAttribute(names.iterator().next(), "ExchangesTotal");
    }

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(m.find()).as("series %s in /metrics", series).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
