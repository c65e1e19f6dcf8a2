package io.queueview.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A path of the contract ("/v1.0/{project_id}/data/queuing-jobs/{id}") and how a request's raw target meets it. */
record PathTemplate(String template, List<String> segments) {

    static PathTemplate of(String template) {
        return new PathTemplate(template, List.of(template.substring(1).split("/", -1)));
    }

    int templated() {
        return (int) segments.stream().filter(PathTemplate::isParameter).count();
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

    /** A path parameter's %-decoded value in a path this template matches (null when not decodable). */
    String parameter(String rawPath, String name) {
        String[] actual = rawPath.substring(1).split("/", -1);
        return decoded(actual[segments.indexOf("{" + name + "}")]);
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    /** %-decoded as UTF-8; null when an escape is malformed or the bytes are not UTF-8. */
    static String decoded(String segment) {
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

    /** The query's parameters, %-decoded ('+' is a space), in the order given; null for an undecodable value. */
    static Map<String, List<String>> queryParameters(String target) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        int question = target == null ? -1 : target.indexOf('?');
        if (question < 0) {
            return parameters;
        }
        for (String pair : target.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String name = decoded((equals < 0 ? pair : pair.substring(0, equals)).replace('+', ' '));
            String value = equals < 0 ? "" : decoded(pair.substring(equals + 1).replace('+', ' '));
            if (name != null && !name.isEmpty()) {
                parameters.computeIfAbsent(name, any -> new ArrayList<>()).add(value);
            }
        }
        return parameters;
    }
}
