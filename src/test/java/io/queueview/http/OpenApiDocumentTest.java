package io.queueview.http;

import static io.queueview.testing.ApiFixture.OPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.testing.ApiContract;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.EventJson;
import io.queueview.testing.EventStream;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract, topology/openapi.yaml: valid OpenAPI 3.1 as the OpenAPI project's own parser reads it, served as
 * JSON at GET /openapi.json, and every operation it documents served.
 */
class OpenApiDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ApiOnDriver api = new ApiOnDriver();

    @Test
    void isValidOpenApi31WithNoParserMessages() throws IOException {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(yaml(), null, options);
        assertTrue(parsed.getMessages() == null || parsed.getMessages().isEmpty(), String.valueOf(parsed.getMessages()));
        assertEquals(SpecVersion.V31, parsed.getOpenAPI().getSpecVersion());
        assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());
    }

    @Test
    void isServedAsJsonWithoutAToken() throws IOException {
        HttpResponse<String> served = api.http().get("/openapi.json", null);
        assertEquals(200, served.statusCode(), served.body());
        assertEquals(ApiContract.get().document(), JSON.readTree(served.body()));
    }

    /** Each documented path and method reaches a route: no 405, and no 404 for an unknown path. */
    @Test
    void everyDocumentedOperationIsServed() throws IOException {
        api.driver().send(EventJson.enqueued("p", "PROCESSOR", 1)); // an entry to watch
        Iterator<Map.Entry<String, JsonNode>> paths = ApiContract.get().document().get("paths").fields();
        int operations = 0;
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            String target = path.getKey().replace("{project_id}", "p").replace("{id}", "1") + "?queue_type=PROCESSOR";
            for (String method : new String[] {"get", "head", "put"}) {
                if (!path.getValue().has(method)) {
                    continue;
                }
                operations++;
                if (path.getValue().at("/" + method + "/responses/200/content").has("text/event-stream")) {
                    try (EventStream stream = EventStream.open(api.port(), target, OPS, null)) { // open until closed
                        assertEquals(200, stream.status(), method + " " + target);
                        assertEquals("ready", stream.next(Duration.ofSeconds(10)).name(), method + " " + target);
                    }
                    continue;
                }
                HttpResponse<String> answer = api.http().send(method.toUpperCase(), target, OPS,
                        method.equals("put") ? "application/json" : null, method.equals("put") ? "{}" : null);
                assertFalse(answer.statusCode() == 405 || answer.body().contains("no such path"),
                        method + " " + target + ": " + answer.statusCode() + " " + answer.body());
            }
        }
        assertEquals(28, operations, "operations in the document");
    }

    private static String yaml() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(ApiContract.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
