package io.queueview.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The HTTP contract, topology/openapi.yaml (the build puts it beside this class), as the JSON that
 * GET /openapi.json answers: read and converted once, on first use.
 */
final class OpenApiDocument {

    static final String RESOURCE = "openapi.yaml";

    private OpenApiDocument() {
    }

    /** @throws IllegalStateException when the build left the document out or it is not YAML: a broken build */
    static byte[] json() {
        return Converted.JSON;
    }

    private static final class Converted {
        static final byte[] JSON = convert();

        private static byte[] convert() {
            try (InputStream yaml = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
                if (yaml == null) {
                    throw new IllegalStateException(RESOURCE + " is not on the class path beside "
                            + OpenApiDocument.class.getName() + " (see the resources of pom.xml)");
                }
                return new ObjectMapper().writeValueAsBytes(new YAMLMapper().readTree(yaml));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
    }
}
