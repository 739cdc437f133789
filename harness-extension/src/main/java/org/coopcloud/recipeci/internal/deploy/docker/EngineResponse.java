package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 response of the Docker Engine API, read whole from a connection the engine closed: status, headers and
 * the body, framed by {@code Content-Length}, by chunked transfer encoding, or by the end of the connection.
 */
record EngineResponse(int status, Map<String, String> headers, byte[] body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param raw every byte the engine sent
     * @throws DockerEngine.Failure when the bytes are not a whole HTTP/1.1 response
     */
    static EngineResponse parse(byte[] raw) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (end < 0) {
            throw new DockerEngine.Failure("the engine's response ended inside its headers (" + raw.length + " bytes)");
        }
        String[] head = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = head[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new DockerEngine.Failure("the engine did not answer HTTP/1.x: " + head[0]);
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new DockerEngine.Failure("the engine's status line has no status code: " + head[0]);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        head[i].substring(colon + 1).strip());
            }
        }
        int start = end + 4;
        String encoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        byte[] body;
        if (encoding.contains("chunked")) {
            body = unchunk(raw, start);
        } else if (headers.containsKey("content-length")) {
            int length = contentLength(headers.get("content-length"));
            if (raw.length - start < length) {
                throw new DockerEngine.Failure(
                        "the engine's response ended after " + (raw.length - start) + " of " + length + " body bytes");
            }
            body = Arrays.copyOfRange(raw, start, start + length);
        } else {
            body = Arrays.copyOfRange(raw, start, raw.length);
        }
        return new EngineResponse(status, Map.copyOf(headers), body);
    }

    /** The body as JSON, once the status says it is an answer and not an error. */
    JsonNode json(String request) {
        requireOk(request);
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new DockerEngine.Failure(request + ": the engine's answer is not JSON: " + excerpt(text()), e);
        }
    }

    /** @throws DockerEngine.Failure with docker's own message ({@code {"message": …}}) when the status is not 2xx */
    void requireOk(String request) {
        if (status / 100 != 2) {
            throw new DockerEngine.Failure(request + ": the engine answered " + status + ": " + message());
        }
    }

    /** Docker's error message, or the body's text when it is not docker's JSON error. */
    String message() {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (IOException e) {
            // not JSON: the text says it
        }
        return excerpt(text().strip());
    }

    /**
     * At most the first 300 characters of a body, for a message: a body can be megabytes (every service's spec,
     * environment values included), and a message goes to run.log.
     */
    static String excerpt(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "… (" + text.length() + " characters)";
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static int contentLength(String value) {
        try {
            int length = Integer.parseInt(value.strip());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new DockerEngine.Failure("the engine sent a bad Content-Length: " + value);
    }

    /** Decodes chunked transfer encoding: hex size line (extensions ignored), data, CRLF; a zero size ends it. */
    private static byte[] unchunk(byte[] raw, int from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] crlf = {'\r', '\n'};
        int at = from;
        while (true) {
            int lineEnd = indexOf(raw, crlf, at);
            if (lineEnd < 0) {
                throw new DockerEngine.Failure("the engine's chunked response ended without its last chunk");
            }
            String sizeText = new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII).split(";", 2)[0].strip();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                throw new DockerEngine.Failure("the engine sent a bad chunk size: '" + sizeText + "'");
            }
            if (size < 0) {
                throw new DockerEngine.Failure("the engine sent a bad chunk size: '" + sizeText + "'");
            }
            if (size == 0) {
                return out.toByteArray(); // trailers, if any, are of no use here
            }
            int data = lineEnd + 2;
            if (raw.length - data < size + 2) {
                throw new DockerEngine.Failure("the engine's chunked response ended inside a chunk");
            }
            out.write(raw, data, size);
            at = data + size + 2;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
