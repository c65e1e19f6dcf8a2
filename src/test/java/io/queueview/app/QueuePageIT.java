package io.queueview.app;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.config.Settings;
import io.queueview.testing.Await;
import io.queueview.testing.Browser;
import io.queueview.testing.EventJson;
import io.queueview.testing.HttpClientForTests;
import io.queueview.testing.SharedBroker;
import io.queueview.testing.SimulatedScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The queue page in a real headless Chromium against the real broker: it lists a queue as the list call does,
 * shows a new event without a reload, moves an entry to the top for itself and for another open page, and says
 * what a bad token is refused with, with no failed request (a missing icon, say) in the browser's console. Also
 * saves screenshots with the demo data (target/screenshots/).
 */
class QueuePageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static int tests;
    private static Path dataDir;
    private static Settings settings;
    private static Application app;
    private final List<ChromeDriver> browsers = new ArrayList<>();
    /** Each test's queue is a project of its own. */
    private final String project = "page-project-" + ++tests;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Browser.missing() == null, Browser.missing());
        dataDir = Files.createTempDirectory("queueview-page-it");
        settings = SharedBroker.settings(dataDir, "QUEUEVIEW_DEMO", "true"); // demo data, for the screenshots
        app = Application.start(settings);
        assertTrue(app.awaitReady(Duration.ofSeconds(60)));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void fillTheQueue() {
        List<EventJson> events = new ArrayList<>();
        for (int id = 1; id <= 8; id++) {
            events.add(enqueued(project, "PROCESSOR", id).with("priority", id % 3).with("processor_name", "op-" + id)
                    .with("cluster_type", "CCE").with("cluster_id", "cce-" + id % 2));
        }
        produce(events);
        HttpClientForTests http = new HttpClientForTests(app.httpPort());
        Await.until(WAIT, "the queue is listed", () -> http.get("/v1.0/" + project
                + "/data/queuing-jobs?queue_type=PROCESSOR", app.demoToken()).body().contains("\"total\":8"));
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

    @Test
    void thePageListsTheQueueInServingOrderAsTheListCallDoesWithEachPosition() throws IOException {
        ChromeDriver page = openQueue(app.demoToken(), project, 1280);
        assertEquals(listedIds(), ids(page));
        List<String> positions = page.findElements(By.cssSelector("#entries td.position")).stream()
                .map(WebElement::getText).toList();
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), positions);
        assertTrue(page.findElement(By.id("totals")).getText().contains("PROCESSOR 8"), "totals per queue type");

        // with a filter the page asks where each entry stands: its position in the queue, not its row
        page.findElement(By.cssSelector("#filters-box summary")).click();
        page.findElement(By.name("processor_name")).sendKeys("op-5");
        page.findElement(By.cssSelector("#filters button[type=submit]")).click();
        new WebDriverWait(page, WAIT).until(driver -> ids(page).equals(List.of(5L)));
        long position = JSON.readTree(new HttpClientForTests(app.httpPort()).get("/v1.0/" + project
                + "/data/queuing-jobs/5?queue_type=PROCESSOR", app.demoToken()).body()).at("/payload/position").asLong();
        new WebDriverWait(page, WAIT).until(driver -> page.findElement(By.cssSelector("#entries td.position"))
                .getText().equals(Long.toString(position)));
    }

    @Test
    void anEventProducedToKafkaAppearsOnThePageWithoutAReload() {
        ChromeDriver page = openQueue(app.demoToken(), project, 1280);
        ((JavascriptExecutor) page).executeScript("window.notReloaded = true;");
        produce(List.of(enqueued(project, "PROCESSOR", 99).with("priority", 50)));
        long acknowledged = System.nanoTime();
        new WebDriverWait(page, WAIT).pollingEvery(Duration.ofMillis(10))
                .until(driver -> !ids(page).isEmpty() && ids(page).get(0) == 99L);
        System.out.printf("event acknowledged by Kafka -> on the page: %.0f ms%n",
                (System.nanoTime() - acknowledged) / 1e6);
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) page).executeScript("return window.notReloaded === true;"));
        assertTrue(page.findElement(By.id("live")).getText().startsWith("live"), "the page says it is live");
    }

    @Test
    void moveToTopPutsTheEntryFirstOnThisPageAndOnAnotherOpenPage() throws IOException {
        ChromeDriver page = openQueue(app.demoToken(), project, 1280);
        ChromeDriver other = openQueue(app.demoToken(), project, 1280);
        List<Long> before = ids(page);
        long last = before.get(before.size() - 1);
        page.findElement(By.cssSelector("#entries tr[data-id='" + last + "'] button.move-top")).click();
        new WebDriverWait(page, WAIT).until(driver -> ids(page).get(0) == last);
        new WebDriverWait(other, WAIT).until(driver -> ids(other).get(0) == last);
        assertEquals(listedIds(), ids(other), "the other page shows the queue as the list call does");
    }

    @Test
    void aBadTokenShowsThe401Message() {
        ChromeDriver page = openQueue("not-a-token", project, 1280);
        WebElement error = page.findElement(By.id("error"));
        new WebDriverWait(page, WAIT).until(driver -> error.isDisplayed());
        assertTrue(error.getText().contains("octopus.400001 401"), error.getText());
        assertTrue(page.findElements(By.cssSelector("#entries tr")).isEmpty());
    }

    @Test
    void thePageAndItsIconLoadWithoutAFailedRequestInTheBrowsersConsole() {
        ChromeDriver page = openQueue(app.demoToken(), project, 1280);
        List<String> failed = page.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(message -> message.contains("Failed to load resource")).toList(); // Chromium's words for a 404
        assertEquals(List.of(), failed, "the browser's console");
        // and the icon the page names is served, whether a headless browser asked for it by itself or not
        Object icon = ((JavascriptExecutor) page).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "const link = document.querySelector(\"link[rel='icon']\");"
                + "if (!link) { done('no icon link'); return; }"
                + "fetch(link.href).then(answer => done(answer.status + ' ' + answer.headers.get('Content-Type')),"
                + " e => done(String(e)));");
        assertEquals("200 image/svg+xml", icon);
    }

    @Test
    void theChartDrawsTheDepthAndTimesInQueueOfAReplayedHistory() throws IOException {
        // a known history, 20 minutes old: 12 queued in one minute, then one dispatched a minute, waiting 1-10 min
        String queue = project + "-stats";
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(20));
        List<SimulatedScheduler.Timed> history = new ArrayList<>();
        for (long id = 1; id <= 12; id++) {
            history.add(new SimulatedScheduler.Timed(start, enqueued(queue, "PROCESSOR", id)));
        }
        for (long id = 1; id <= 10; id++) {
            history.add(new SimulatedScheduler.Timed(start.plus(Duration.ofMinutes(id)),
                    dequeued(queue, "PROCESSOR", id).with("reason", "DISPATCHED")));
        }
        SharedBroker.produce(settings.topics().events(), queue, history);
        HttpClientForTests http = new HttpClientForTests(app.httpPort());
        String statsPath = "/v1.0/" + queue + "/data/queuing-jobs/stats?queue_type=PROCESSOR";
        Await.until(WAIT, "the history is counted", () -> stats(http, statsPath).at("/last_24h/dispatched").asLong() == 10);
        JsonNode stats = stats(http, statsPath);

        // the stats call's figures are the history's (a percentile is its bucket's upper bound: at most 9 % above)
        JsonNode points = stats.at("/depth/points");
        assertEquals(start.toString(), stats.at("/depth/from").asText());
        for (int minute = 0; minute < points.size(); minute++) {
            assertEquals(Math.max(2, 12 - minute), points.get(minute).asLong(), "depth at minute " + minute);
        }
        for (String window : List.of("last_hour", "last_24h")) {
            JsonNode times = stats.get(window).get("time_in_queue_seconds");
            assertBetween(300, 300 * 1.09, times.get("p50").asDouble()); // the 5th of 10 waits
            assertBetween(540, 540 * 1.09, times.get("p90").asDouble());
            assertBetween(600, 600 * 1.09, times.get("p99").asDouble());
        }

        ChromeDriver page = openQueue(app.demoToken(), queue, 1280);
        new WebDriverWait(page, WAIT).until(driver -> driver.findElement(By.id("stats")).isDisplayed());
        // depth: one point a minute, each at its height on the chart's own scale (0 to the highest, 12)
        WebElement chart = page.findElement(By.id("depth-chart"));
        assertEquals("12", chart.findElement(By.cssSelector("text.y-max")).getText());
        assertEquals("0", chart.findElement(By.cssSelector("text.y-zero")).getText());
        double top = Double.parseDouble(chart.findElement(By.cssSelector("line.grid-max")).getAttribute("y1"));
        double zero = Double.parseDouble(chart.findElement(By.cssSelector("line.grid-zero")).getAttribute("y1"));
        String[] drawn = chart.findElement(By.cssSelector("polyline.depth")).getAttribute("points").split(" ");
        assertEquals(points.size(), drawn.length, "one point a minute");
        double lastX = Double.NEGATIVE_INFINITY;
        for (int minute = 0; minute < drawn.length; minute++) {
            double x = Double.parseDouble(drawn[minute].split(",")[0]);
            double y = Double.parseDouble(drawn[minute].split(",")[1]);
            assertTrue(x > lastX, "minutes left to right");
            lastX = x;
            assertEquals(zero - (zero - top) * points.get(minute).asLong() / 12.0, y, 0.01, "depth at minute " + minute);
        }
        // time in queue: a bar and a label per percentile and window, the bars on one scale
        WebElement waits = page.findElement(By.id("waits-chart"));
        double longest = stats.at("/last_24h/time_in_queue_seconds/p99").asDouble();
        double longestWidth = Double.parseDouble(waits.findElement(By.cssSelector("rect[data-window='24 h'][data-p='p99']"))
                .getAttribute("width"));
        for (String[] window : new String[][] {{"1 h", "last_hour"}, {"24 h", "last_24h"}}) {
            assertTrue(waits.getText().contains(window[0] + ": 10 dispatched"), waits.getText());
            for (String p : List.of("p50", "p90", "p99")) {
                double figure = stats.get(window[1]).get("time_in_queue_seconds").get(p).asDouble();
                String at = "[data-window='" + window[0] + "'][data-p='" + p + "']";
                assertEquals(String.format(Locale.ROOT, "%.1f min", figure / 60),
                        waits.findElement(By.cssSelector("text.p-value" + at)).getText(), window[0] + " " + p);
                double width = Double.parseDouble(waits.findElement(By.cssSelector("rect.bar" + at)).getAttribute("width"));
                assertEquals(longestWidth * figure / longest, width, 0.02, window[0] + " " + p + " bar");
            }
        }
    }

    @Test
    void theWhyHereLineOfAnEntrySaysWhatThePositionCallAnswers() throws IOException {
        ChromeDriver page = openQueue(app.demoToken(), project, 1280);
        List<Long> ids = ids(page);
        long last = ids.get(ids.size() - 1);
        page.findElement(By.cssSelector("#entries tr[data-id='" + last + "'] td.position button.why-toggle")).click();
        JsonNode where = JSON.readTree(new HttpClientForTests(app.httpPort()).get("/v1.0/" + project
                + "/data/queuing-jobs/" + last + "?queue_type=PROCESSOR", app.demoToken()).body()).get("payload");
        JsonNode ahead = where.get("ahead");
        assertEquals(8, where.get("position").asLong());
        String expected = "8th: " + ahead.get("higher_priority").asLong() + " with a higher priority, "
                + ahead.get("same_priority").asLong() + " with the same priority ahead, "
                + ahead.get("same_cluster").asLong() + " of them for the same cluster";
        // 1-8 at priorities id % 3 and clusters cce-(id % 2): the last, 6 (priority 0, cce-0), has 2, 5, 8, 1, 4 and 7
        // of a higher priority ahead, 3 (also 0, older) of the same, and 2, 8 and 4 (of those 7) of its cluster
        assertEquals("8th: 6 with a higher priority, 1 with the same priority ahead, 3 of them for the same cluster",
                expected);
        By why = By.cssSelector("#entries tr[data-id='" + last + "'] td.position .why");
        new WebDriverWait(page, WAIT).until(driver -> !driver.findElements(why).isEmpty());
        assertEquals(expected, page.findElement(why).getText());
    }

    @Test
    void aWatchedJobIsHighlightedAndTheTabIsToldWhenItReachesTheTopNAndWhenItLeaves() throws IOException {
        ChromeDriver page = openQueue(app.demoToken(), project, 1280);
        WebElement topN = page.findElement(By.id("watch-top"));
        topN.clear();
        topN.sendKeys("3");
        List<Long> ids = ids(page);
        long last = ids.get(ids.size() - 1);
        By row = By.cssSelector("#entries tr[data-id='" + last + "']");
        page.findElement(row).findElement(By.cssSelector("button.watch-toggle")).click();
        new WebDriverWait(page, WAIT).until(driver -> driver.findElement(By.id("watch-status")).getText()
                .contains("8th"));
        assertTrue(page.findElement(row).getAttribute("class").contains("watched"), "the watched row is highlighted");
        assertEquals(1, page.findElements(By.cssSelector("#entries tr.watched")).size(), "only that row");
        WebElement notice = page.findElement(By.id("watch-notice"));
        assertTrue(!notice.isDisplayed(), "nothing to tell at 8th");
        assertEquals("queueview — job queues", page.getTitle());

        // the API's move call takes it to the top: the page tells the tab, and the row stays highlighted
        HttpClientForTests http = new HttpClientForTests(app.httpPort());
        assertEquals(200, http.send("PUT", "/v1.0/" + project + "/data/queuing-jobs/" + last, app.demoToken(),
                "application/json", "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}").statusCode());
        new WebDriverWait(page, WAIT).until(driver -> notice.isDisplayed());
        assertEquals("job " + last + " (entry " + last + ", PROCESSOR) is 1st: in the top 3", notice.getText());
        assertEquals("(#1) queueview — job queues", page.getTitle());
        new WebDriverWait(page, WAIT).until(driver -> ids(page).get(0) == last);
        assertTrue(page.findElement(row).getAttribute("class").contains("watched"), "still highlighted");

        // dispatched: the page says it left the queue, and why
        produce(List.of(dequeued(project, "PROCESSOR", last).with("reason", "DISPATCHED")));
        new WebDriverWait(page, WAIT).until(driver -> notice.getText().contains("left the queue"));
        assertEquals("job " + last + " (entry " + last + ", PROCESSOR) left the queue (dispatched)", notice.getText());
        assertEquals("(left the queue) queueview — job queues", page.getTitle());
    }

    private static JsonNode stats(HttpClientForTests http, String path) {
        try {
            return JSON.readTree(http.get(path, app.demoToken()).body()).path("payload");
        } catch (IOException notJson) {
            throw new UncheckedIOException(notJson);
        }
    }

    private static void assertBetween(double low, double high, double actual) {
        assertTrue(actual >= low && actual <= high, actual + " not in [" + low + ", " + high + "]");
    }

    @Test
    void screenshotsOfTheDemoDataAtDesktopAndPhoneWidth() throws IOException {
        Path shots = Files.createDirectories(Path.of("target", "screenshots"));
        for (int width : new int[] {1280, 390}) {
            ChromeDriver page = openQueue(app.demoToken(), "demo-project-1", width);
            new WebDriverWait(page, WAIT).until(driver -> ids(page).size() >= 5);
            Files.write(shots.resolve("queue-page-" + width + ".png"), page.getScreenshotAs(OutputType.BYTES));
        }
    }

    /** A new browser window with the page showing a project's PROCESSOR queue (or its error). */
    private ChromeDriver openQueue(String token, String project, int width) {
        ChromeDriver page = Browser.open(width, 1000);
        browsers.add(page);
        page.get("http://127.0.0.1:" + app.httpPort() + "/");
        page.findElement(By.id("token")).sendKeys(token);
        page.findElement(By.id("project")).sendKeys(project);
        new Select(page.findElement(By.id("queue_type"))).selectByVisibleText("PROCESSOR");
        page.findElement(By.id("show")).click();
        new WebDriverWait(page, WAIT).until(driver -> !driver.findElements(By.cssSelector("#entries tr")).isEmpty()
                || driver.findElement(By.id("error")).isDisplayed());
        return page;
    }

    /** The ids the page lists, read in one go: the page may render again between two reads of its rows. */
    private static List<Long> ids(WebDriver page) {
        List<?> ids = (List<?>) ((JavascriptExecutor) page).executeScript(
                "return Array.from(document.querySelectorAll('#entries tr')).map(row => row.dataset.id);");
        return ids.stream().map(id -> Long.parseLong((String) id)).toList();
    }

    private List<Long> listedIds() throws IOException {
        JsonNode list = JSON.readTree(new HttpClientForTests(app.httpPort()).get("/v1.0/" + project
                + "/data/queuing-jobs?queue_type=PROCESSOR&limit=20", app.demoToken()).body()).at("/payload/list");
        List<Long> ids = new ArrayList<>();
        list.forEach(entry -> ids.add(entry.get("id").asLong()));
        return ids;
    }

    private void produce(List<EventJson> events) {
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        for (EventJson event : events) {
            records.add(new SimpleEntry<>(project.getBytes(StandardCharsets.UTF_8), event.bytes()));
        }
        SharedBroker.produce(settings.topics().events(), records);
    }
}
