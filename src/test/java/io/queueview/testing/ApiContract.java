package io.queueview.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.keyword.Keyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The HTTP contract (topology/openapi.yaml, on the class path as the service serves it) as a check of answers: the
 * operation is found by method and path template, the status must be one it documents, and the answer must carry
 * the documented Content-Type, required headers (Retry-After) and a body that validates against the documented
 * JSON Schema (networknt's validator, OpenAPI 3.1 dialect, formats asserted). A request that reaches no operation
 * (an unknown path, a method a path does not serve, a request the server refuses before routing) must get one of
 * the error answers the document lists under components/responses, keyed by status.
 */
public final class ApiContract {

    /** Where the build puts the document: beside io.queueview.http.OpenApiDocument, which serves it. */
    public static final String RESOURCE = "io/queueview/http/openapi.yaml";
    private static final String LOCATION = "classpath:" + RESOURCE;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> DOCUMENT_FIELDS = Set.of("openapi", "info", "jsonSchemaDialect", "servers",
            "paths", "webhooks", "components", "security", "tags", "externalDocs");

    private final JsonNode document;
    private final List<PathTemplate> paths;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private ApiContract() {
        try (InputStream yaml = ApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (yaml == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: see the resources of pom.xml");
            }
            document = new YAMLMapper().readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<PathTemplate> found = new ArrayList<>();
        document.get("paths").fieldNames().forEachRemaining(path -> found.add(PathTemplate.of(path)));
        // as OpenAPI matches: a concrete segment (batch-update) before a template ({id})
        found.sort(Comparator.comparingInt(PathTemplate::templated));
        paths = List.copyOf(found);
        Dialect openApi31 = Dialect.builder(Dialects.getOpenApi31()).unknownKeywordFactory(ApiContract::documentField)
                .build();
        registry = SchemaRegistry.withDialect(openApi31, builder -> builder.schemaRegistryConfig(
                SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    /**
     * The validator reads the whole document as the resource its schemas live in: the document's own fields are not
     * schema keywords, and are let be. Any other word no vocabulary knows is a slip in the contract (a misspelt
     * keyword, or YAML that split a text at its comma), and fails loudly instead of being ignored.
     */
    private static Keyword documentField(String keyword, SchemaContext context) {
        if (DOCUMENT_FIELDS.contains(keyword)) {
            return new AnnotationKeyword(keyword);
        }
        throw new IllegalStateException("the contract's schemas use '" + keyword
                + "', which no keyword of JSON Schema 2020-12 or OpenAPI 3.1 is");
    }

    /** The contract, read once per test JVM. */
    public static ApiContract get() {
        return Holder.CONTRACT;
    }

    private static final class Holder {
        static final ApiContract CONTRACT = new ApiContract();
    }

    /** The document as read, for tests of the document itself. */
    public JsonNode document() {
        return document.deepCopy();
    }

    /** A request as it was sent: the method, the raw target (path and query), the body (null for none). */
    public record Call(String method, String target, String body) {
    }

    /** An answer as it came back: the status, a header by name (any case; empty when absent), the body. */
    public record Answer(int status, Function<String, Optional<String>> header, String body) {
    }

    /**
     * Fails with what is wrong when the answer is not one the contract documents for this call.
     *
     * @throws AssertionError naming the call, the status and each violation
     */
    public void check(Call call, Answer answer) {
        List<String> violations = violations(call, answer);
        if (!violations.isEmpty()) {
            throw new AssertionError(call.method() + " " + abbreviated(call.target(), 200) + " answered "
                    + answer.status() + ", which the contract (topology/openapi.yaml) does not allow:\n  - "
                    + String.join("\n  - ", violations) + "\n  body: " + abbreviated(answer.body(), 500));
        }
    }

    /** What is wrong with the answer, nothing when it keeps the contract. */
    public List<String> violations(Call call, Answer answer) {
        List<String> violations = new ArrayList<>();
        String path = call.target() == null ? "" : call.target().split("\\?", 2)[0];
        String method = call.method() == null ? "" : call.method().toLowerCase(Locale.ROOT);
        Optional<PathTemplate> route = paths.stream().filter(candidate -> candidate.matches(path)).findFirst();
        String pointer;
        if (route.isPresent() && document.get("paths").get(route.get().template()).has(method)) {
            String operation = "/paths/" + escaped(route.get().template()) + "/" + method;
            pointer = responsePointer(operation, call, answer.status(), violations);
            if (answer.status() / 100 == 2) { // accepted: then the request kept the contract too
                checkRequest(operation, route.get(), call, violations);
            }
        } else {
            pointer = errorPointer(call, answer.status(), violations);
        }
        if (pointer != null) {
            checkAnswer(pointer, "head".equals(method), answer, violations);
        }
        return violations;
    }

    private void checkAnswer(String pointer, boolean head, Answer answer, List<String> violations) {
        checkHeaders(pointer, answer.header(), violations);
        JsonNode content = document.at(pointer).get("content");
        if (content == null) {
            if (!head && answer.body() != null && !answer.body().isEmpty()) {
                violations.add("the contract documents no body for " + answer.status() + ", but there is one");
            }
            return;
        }
        Optional<String> contentType = answer.header().apply("content-type");
        // the answer's type when the operation documents it (the list call answers JSON, CSV or NDJSON), else the first
        String mediaType = contentType.map(type -> baseType(type)).filter(content::has)
                .orElse(content.fieldNames().next());
        if (contentType.isEmpty() || !baseType(contentType.get()).equals(mediaType)) {
            violations.add("Content-Type " + contentType.orElse("(none)") + ", the contract says " + mediaType);
        }
        if (!head) {
            String schemaPointer = pointer + "/content/" + escaped(mediaType) + "/schema";
            checkBody(mediaType, schemaPointer, answer.body() == null ? "" : answer.body(), violations);
        }
    }

    /** The documented response of the operation for this status, its $ref followed; null (and why) when none. */
    private String responsePointer(String operation, Call call, int status, List<String> violations) {
        JsonNode responses = document.at(operation + "/responses");
        if (!responses.has(Integer.toString(status))) {
            violations.add(status + " is not documented for " + call.method() + " " + document.at(operation)
                    .path("operationId").asText() + " (documented: " + String.join(", ", names(responses)) + ")");
            return null;
        }
        return resolved(operation + "/responses/" + status);
    }

    /** For a request no operation serves: the error the document lists for the status; null (and why) when none. */
    private String errorPointer(Call call, int status, List<String> violations) {
        JsonNode errors = document.at("/components/responses");
        if (!errors.has(Integer.toString(status))) {
            violations.add("no operation of the contract serves " + call.method() + " on this path, and " + status
                    + " is none of the errors it documents for any request (components/responses: "
                    + String.join(", ", names(errors)) + ")");
            return null;
        }
        return "/components/responses/" + status;
    }

    /**
     * An accepted request must have kept the documented parameters and body: a 2xx to what the contract calls
     * invalid is drift too (a limit above 200 answered, a priority out of range applied). Empty parameters count as
     * absent, and undocumented ones are ignored, as the server does.
     */
    private void checkRequest(String operation, PathTemplate route, Call call, List<String> violations) {
        Map<String, List<String>> query = PathTemplate.queryParameters(call.target());
        List<String> pointers = new ArrayList<>();
        for (String level : List.of(operation.substring(0, operation.lastIndexOf('/')), operation)) {
            JsonNode parameters = document.at(level + "/parameters");
            for (int i = 0; i < parameters.size(); i++) {
                pointers.add(resolved(level + "/parameters/" + i));
            }
        }
        for (String pointer : pointers) {
            JsonNode parameter = document.at(pointer);
            String name = parameter.get("name").asText();
            List<String> values = parameter.get("in").asText().equals("path")
                    ? Arrays.asList(route.parameter(call.target().split("\\?", 2)[0], name))
                    : query.getOrDefault(name, List.of()).stream().filter(value -> value == null || !value.isEmpty())
                            .toList();
            if (values.isEmpty()) {
                if (parameter.path("required").asBoolean(false)) {
                    violations.add("accepted without the required parameter " + name);
                }
            } else if (values.size() > 1) {
                violations.add("accepted with the parameter " + name + " given " + values.size() + " times");
            } else {
                checkParameter(pointer + "/schema", name, values.get(0), violations);
            }
        }
        JsonNode body = document.at(operation + "/requestBody/content/application~1json/schema");
        if (!body.isMissingNode()) {
            checkBody("application/json", resolvedNode(body, operation + "/requestBody/content/application~1json/schema"),
                    call.body() == null ? "" : call.body(), violations, "the request body");
        }
    }

    private void checkParameter(String schemaPointer, String name, String value, List<String> violations) {
        if (value == null) {
            return; // not decodable: the server's refusal of that is another test's business
        }
        String pointer = resolvedNode(document.at(schemaPointer), schemaPointer);
        JsonNode typed = typed(document.at(pointer).path("type").asText(), value);
        if (typed == null) {
            violations.add("accepted the parameter " + name + "='" + value + "', which is not a "
                    + document.at(pointer).path("type").asText());
            return;
        }
        for (Error error : schema(pointer).validate(typed, this::formatsAsserted)) {
            violations.add("accepted the parameter " + name + "='" + value + "': " + error.getMessage());
        }
    }

    private void checkHeaders(String responsePointer, Function<String, Optional<String>> header,
                              List<String> violations) {
        JsonNode headers = document.at(responsePointer).get("headers");
        if (headers == null) {
            return;
        }
        headers.fields().forEachRemaining(documented -> {
            String name = documented.getKey();
            String headerPointer = resolvedNode(documented.getValue(), responsePointer + "/headers/" + escaped(name));
            JsonNode definition = document.at(headerPointer);
            Optional<String> value = header.apply(name.toLowerCase(Locale.ROOT));
            if (value.isEmpty()) {
                if (definition.path("required").asBoolean(false)) {
                    violations.add("the header " + name + " is required and missing");
                }
                return;
            }
            JsonNode typed = typed(definition.path("schema").path("type").asText(), value.get());
            if (typed == null) {
                violations.add("the header " + name + ": '" + value.get() + "' is not a "
                        + definition.path("schema").path("type").asText());
                return;
            }
            for (Error error : schema(headerPointer + "/schema").validate(typed, this::formatsAsserted)) {
                violations.add("the header " + name + ": " + error);
            }
        });
    }

    private void checkBody(String mediaType, String schemaPointer, String body, List<String> violations) {
        checkBody(mediaType, schemaPointer, body, violations, "the body");
    }

    private void checkBody(String mediaType, String schemaPointer, String body, List<String> violations,
                           String what) {
        JsonNode instance;
        if (mediaType.equals("application/json")) {
            try {
                instance = JSON.readTree(body);
            } catch (IOException notJson) {
                violations.add(what + " is not JSON: " + notJson.getMessage().split("\n", 2)[0]);
                return;
            }
            if (instance == null || instance.isMissingNode()) {
                violations.add(what + " is empty; the contract documents " + mediaType);
                return;
            }
        } else {
            instance = TextNode.valueOf(body);
        }
        for (Error error : schema(resolvedNode(document.at(schemaPointer), schemaPointer)).validate(instance,
                this::formatsAsserted)) {
            violations.add(what + ": " + error);
        }
    }

    private void formatsAsserted(ExecutionContext context) {
        context.executionConfig(config -> config.formatAssertionsEnabled(true));
    }

    /** The validator's schema at a pointer into the document, compiled once. */
    private Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, at -> registry.getSchema(SchemaLocation.of(LOCATION + "#"
                + at.replace("{", "%7B").replace("}", "%7D"))));
    }

    /** A response's pointer, following its $ref. */
    private String resolved(String pointer) {
        return resolvedNode(document.at(pointer), pointer);
    }

    /** Where a node that is only a local $ref points, or the node's own pointer. */
    private static String resolvedNode(JsonNode node, String pointer) {
        if (node.size() == 1 && node.has("$ref") && node.get("$ref").asText().startsWith("#/")) {
            return node.get("$ref").asText().substring(1);
        }
        return pointer;
    }

    /** A header's or parameter's text as the JSON value its schema types, null when it is not one. */
    private static JsonNode typed(String type, String value) {
        if (!type.equals("integer")) {
            return TextNode.valueOf(value);
        }
        try {
            return LongNode.valueOf(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String baseType(String contentType) {
        return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /** A JSON pointer token: ~ and / escaped. */
    private static String escaped(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> names(JsonNode object) {
        List<String> all = new ArrayList<>();
        object.fieldNames().forEachRemaining(all::add);
        return all;
    }

    private static String abbreviated(String text, int max) {
        if (text == null) {
            return "(none)";
        }
        return text.length() <= max ? text : text.substring(0, max) + "... (" + text.length() + " characters)";
    }
}
