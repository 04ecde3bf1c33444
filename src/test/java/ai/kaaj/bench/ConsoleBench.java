package ai.kaaj.bench;

import ai.kaaj.matching.LenderGenerator;
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.Sql;
import ai.kaaj.support.Browser;
import ai.kaaj.support.TestApp;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * bin/bench console: time to first render in headless Chromium (from navigation start to the moment
 * the page has drawn its table, marked by the console with performance.mark) of an application's
 * ranked matches against 1,000 lenders and of the lender list with 10,000 lenders; and the size of the
 * console's files.
 */
public final class ConsoleBench {

    private static final int RUNS = 7;

    public static void main(String[] args) throws Exception {
        printAssetSizes(Path.of("src/main/resources/console"));
        try (TestApp app = TestApp.start(Map.of("kaaj.worker.slots", "8")); Browser browser = Browser.start()) {
            LenderStore lenders = new LenderStore(new Sql(app.app().database().dataSource()));
            LenderGenerator generator = new LenderGenerator(12);
            addLenders(lenders, generator, 1_000);
            long applicationId = app.postJson("/api/applications", """
                    {"business_name": "Rivera Excavation LLC", "state": "TX", "industry": "excavation contractor",
                     "naics": "238910", "time_in_business_months": 48, "annual_revenue": 1800000,
                     "amount_requested": 120000, "term_months": 60, "equipment_type": "construction",
                     "equipment_year": 2021, "equipment_condition": "used", "fico": 702, "paynet": 680,
                     "down_payment_pct": 10}""").json().path("application_id").asLong();
            app.awaitStatus("/api/applications/" + applicationId, "matched", "failed");
            measure(browser, app.baseUrl() + "/#/applications/" + applicationId, "kaaj:matches-rendered",
                    "an application's ranked matches, 1,000 lenders (all rows)");

            addLenders(lenders, generator, 9_000);
            measure(browser, app.baseUrl() + "/#/lenders", "kaaj:lenders-rendered",
                    "the lender list, 10,000 lenders (first page of 50)");
            measure(browser, app.baseUrl() + "/#/lenders?q=lender%2099", "kaaj:lenders-rendered",
                    "the lender list, 10,000 lenders, searched by name");
        }
    }

    private static void addLenders(LenderStore lenders, LenderGenerator generator, int count) {
        for (int i = 0; i < count; i++) {
            lenders.createWithCriteria("Bench Lender " + System.nanoTime(), generator.next());
        }
    }

    /** One warm-up load, then RUNS full page loads; prints p50 and max of the mark's time from navigation start. */
    private static void measure(Browser browser, String url, String mark, String what) {
        ChromeDriver driver = browser.driver();
        List<Long> millis = new ArrayList<>();
        for (int run = 0; run <= RUNS; run++) {
            driver.get("about:blank");
            driver.get(url);
            Object at = browser.waiting().until(d -> driver.executeScript(
                    "const m = performance.getEntriesByName(arguments[0]); return m.length ? m[0].startTime : null;",
                    mark));
            if (run > 0) {
                millis.add(Math.round(((Number) at).doubleValue()));
            }
        }
        System.out.printf(Locale.ROOT, "  %-58s p50 %4d ms  max %4d ms  (n=%d, navigation start to table drawn)%n",
                what, LenderPipelineBench.percentile(millis, 50), LenderPipelineBench.percentile(millis, 100),
                millis.size());
    }

    private static void printAssetSizes(Path folder) throws IOException {
        long total = 0;
        long gzipped = 0;
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.sorted().toList();
        }
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            total += content.length;
            gzipped += gzipSize(content);
        }
        System.out.printf(Locale.ROOT, "Console assets: %d files, %,d bytes (%,d bytes gzipped), no library%n",
                files.size(), total, gzipped);
    }

    private static int gzipSize(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return out.size();
    }
}
