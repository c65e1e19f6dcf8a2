package io.queueview.http;

import java.util.Locale;

/** What the list call answers in: a page as JSON (the API's), or every matching entry as an export. */
enum ListFormat {
    JSON("application/json"), CSV("text/csv"), NDJSON("application/x-ndjson");

    private final String mediaType;

    ListFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    String mediaType() {
        return mediaType;
    }

    /**
     * The first of the types an Accept header names that this call serves (parameters such as q ignored): an export
     * format, or JSON (application/json, or a wildcard); JSON when none.
     */
    static ListFormat accepted(String accept) {
        if (accept == null) {
            return JSON;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (type.equals(CSV.mediaType)) {
                return CSV;
            }
            if (type.equals(NDJSON.mediaType)) {
                return NDJSON;
            }
            if (type.equals(JSON.mediaType) || type.equals("*/*") || type.equals("application/*")) {
                return JSON;
            }
        }
        return JSON;
    }
}
