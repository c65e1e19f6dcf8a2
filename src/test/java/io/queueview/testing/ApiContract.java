package io.queueview.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.keyword.Keyword;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
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
    private final List<Route> routes;
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
        List<Route> found = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> found.add(Route.of(path.getKey(), path.getValue())));
        // as OpenAPI matches: a concrete segment (batch-update) before a template ({id})
        found.sort(Comparator.comparingInt(Route::templated));
        routes = List.copyOf(found);
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

    /**
     * Fails with what is wrong when the answer is not one the contract documents for this call.
     *
     * @param target the request target as sent: the raw path and query
     * @param header a header of the answer by name (any case), empty when absent
     * @throws AssertionError naming the call, the status and each violation
     */
    public void check(String method, String target, int status, Function<String, Optional<String>> header,
                      String body) {
        List<String> violations = violations(method, target, status, header, body);
        if (!violations.isEmpty()) {
            throw new AssertionError(method + " " + abbreviated(target, 200) + " answered " + status
                    + ", which the contract (topology/openapi.yaml) does not allow:\n  - "
                    + String.join("\n  - ", violations) + "\n  body: " + abbreviated(body, 500));
        }
    }

    /** What is wrong with the answer, nothing when it keeps the contract. */
    public List<String> violations(String method, String target, int status,
                                   Function<String, Optional<String>> header, String body) {
        List<String> violations = new ArrayList<>();
        String pointer = responsePointer(method, target, status, violations);
        if (pointer == null) {
            return violations;
        }
        JsonNode response = document.at(pointer);
        checkHeaders(pointer, header, violations);
        boolean head = "HEAD".equalsIgnoreCase(method);
        JsonNode content = response.get("content");
        if (content == null) {
            if (!head && body != null && !body.isEmpty()) {
                violations.add("the contract documents no body for " + status + ", but there is one");
            }
            return violations;
        }
        String mediaType = content.fieldNames().next();
        Optional<String> contentType = header.apply("content-type");
        if (contentType.isEmpty() || !baseType(contentType.get()).equals(mediaType)) {
            violations.add("Content-Type " + contentType.orElse("(none)") + ", the contract says " + mediaType);
        }
        if (!head) {
            String schemaPointer = pointer + "/content/" + escaped(mediaType) + "/schema";
            checkBody(mediaType, schemaPointer, body == null ? "" : body, violations);
        }
        return violations;
    }

    /**
     * The pointer to the documented response for this call and status, its $ref followed; null (and a violation)
     * when the contract has none.
     */
    private String responsePointer(String method, String target, int status, List<String> violations) {
        String path = target == null ? "" : target.split("\\?", 2)[0];
        String code = Integer.toString(status);
        Optional<Route> route = routes.stream().filter(candidate -> candidate.matches(path)).findFirst();
        String operation = method == null ? null : method.toLowerCase(Locale.ROOT);
        if (route.isPresent() && operation != null && route.get().item().has(operation)) {
            JsonNode responses = route.get().item().get(operation).get("responses");
            if (!responses.has(code)) {
                violations.add(status + " is not documented for " + method + " " + route.get().template()
                        + " (documented: " + String.join(", ", iterable(responses.fieldNames())) + ")");
                return null;
            }
            return resolved("/paths/" + escaped(route.get().template()) + "/" + operation + "/responses/" + code);
        }
        if (!document.at("/components/responses").has(code)) {
            violations.add("no operation of the contract serves " + method + " on this path, and " + status
                    + " is none of the errors it documents for any request (components/responses: "
                    + String.join(", ", iterable(document.at("/components/responses").fieldNames())) + ")");
            return null;
        }
        return "/components/responses/" + code;
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
        JsonNode instance;
        if (mediaType.equals("application/json")) {
            try {
                instance = JSON.readTree(body);
            } catch (IOException notJson) {
                violations.add("the body is not JSON: " + notJson.getMessage().split("\n", 2)[0]);
                return;
            }
            if (instance == null || instance.isMissingNode()) {
                violations.add("the body is empty; the contract documents " + mediaType);
                return;
            }
        } else {
            instance = TextNode.valueOf(body);
        }
        for (Error error : schema(resolvedNode(document.at(schemaPointer), schemaPointer)).validate(instance,
                this::formatsAsserted)) {
            violations.add(error.toString());
        }
    }

    private void formatsAsserted(com.networknt.schema.ExecutionContext context) {
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

    /** A header's text as the JSON value its schema types, null when it is not one. */
    private static JsonNode typed(String type, String value) {
        if (!type.equals("integer")) {
            return TextNode.valueOf(value);
        }
        try {
            return IntNode.valueOf(Integer.parseInt(value.trim()));
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

    private static Iterable<String> iterable(Iterator<String> names) {
        List<String> all = new ArrayList<>();
        names.forEachRemaining(all::add);
        return all;
    }

    private static String abbreviated(String text, int max) {
        if (text == null) {
            return "(none)";
        }
        return text.length() <= max ? text : text.substring(0, max) + "... (" + text.length() + " characters)";
    }

    /** One path of the document: its template's segments and its path item. */
    private record Route(String template, List<String> segments, JsonNode item) {

        static Route of(String template, JsonNode item) {
            return new Route(template, List.of(template.substring(1).split("/", -1)), item);
        }

        int templated() {
            return (int) segments.stream().filter(Route::isParameter).count();
        }

        /**
         * Whether a raw path is this template: literal segments equal once %-decoded, a {parameter} any non-empty
         * segment. One trailing slash is ignored, as the server's router ignores it.
         */
        boolean matches(String rawPath) {
            if (!rawPath.startsWith("/")) {
                return false;
            }
            String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1)
                    : rawPath;
            String[] actual = path.substring(1).split("/", -1);
            if (actual.length != segments.size()) {
                return false;
            }
            for (int i = 0; i < actual.length; i++) {
                String expected = segments.get(i);
                if (isParameter(expected) ? actual[i].isEmpty() : !expected.equals(decoded(actual[i]))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isParameter(String segment) {
            return segment.startsWith("{") && segment.endsWith("}");
        }

        /** %-decoded as UTF-8; null when an escape is malformed or the bytes are not UTF-8. */
        private static String decoded(String segment) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c != '%') {
                    bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                if (i + 2 >= segment.length() || Character.digit(segment.charAt(i + 1), 16) < 0
                        || Character.digit(segment.charAt(i + 2), 16) < 0) {
                    return null;
                }
                bytes.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
                i += 2;
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }
    }
}
