package io.queueview.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sends bytes as they are — a malformed request line, a bad escape, a header no client library would send — and
 * reads one answer: for tests of what the server answers to anything. Every answer is checked against the HTTP
 * contract ({@link ApiContract}): the operation's, or for a request that reaches none, one of its error answers.
 */
public final class RawHttp {

    /** One answer: status, headers (lower-case names), body. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    private RawHttp() {
    }

    /** Sends the request (CRLFs included) and reads the answer until its length, or the close. */
    public static Answer send(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String status;
            Map<String, String> headers = new LinkedHashMap<>();
            do { // an interim answer (100 Continue, to "Expect: 100-continue") is not the answer: the final one follows
                status = line(in);
                headers.clear();
                for (String header = line(in); !header.isEmpty(); header = line(in)) {
                    int colon = header.indexOf(':');
                    headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            header.substring(colon + 1).trim());
                }
            } while (status.startsWith("HTTP/1.1 1") && !status.startsWith("HTTP/1.1 101"));
            byte[] body;
            boolean head = request.length >= 4 && new String(request, 0, 4, StandardCharsets.US_ASCII).equals("HEAD");
            if (head) {
                body = new byte[0]; // an answer to HEAD has no body, whatever its Content-Length says
            } else if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
                ByteArrayOutputStream chunks = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                    chunks.write(in.readNBytes(size));
                    line(in);
                }
                body = chunks.toByteArray();
            } else {
                body = in.readAllBytes();
            }
            Answer answer = new Answer(Integer.parseInt(status.substring(9, 12)), headers,
                    new String(body, StandardCharsets.UTF_8));
            ApiContract.get().check(call(request), new ApiContract.Answer(answer.status(),
                    name -> Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT))), answer.body()));
            return answer;
        }
    }

    /** The request as the contract check sees it: its first line's method and target, and what follows the head. */
    private static ApiContract.Call call(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        int lineEnd = text.indexOf('\n');
        String[] requestLine = (lineEnd < 0 ? text : text.substring(0, lineEnd)).trim().split(" ", 3);
        int headEnd = text.indexOf("\r\n\r\n");
        String body = headEnd < 0 ? null : new String(request, headEnd + 4, request.length - headEnd - 4,
                StandardCharsets.UTF_8);
        return new ApiContract.Call(requestLine[0], requestLine.length > 1 ? requestLine[1] : "", body);
    }

    public static Answer send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed mid-answer after: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
