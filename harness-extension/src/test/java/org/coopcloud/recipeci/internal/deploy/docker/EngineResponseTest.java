package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EngineResponseTest {

    private static EngineResponse parse(String raw) {
        return EngineResponse.parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aContentLengthBodyIsCutAtItsLength() {
        EngineResponse r = parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
                + "{\"Id\":\"abc\"}\nafter the body");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("content-type", "application/json");
        assertThat(r.json("GET /x").path("Id").asText()).isEqualTo("abc");
        assertThat(r.text()).isEqualTo("{\"Id\":\"abc\"}\n");
    }

    @Test
    void aBodyThatIsNotJson_isQuotedShortInTheMessage_notWhole() {
        String body = "[{\"Spec\":{\"Env\":[\"A_SECRETISH_VALUE=" + "v".repeat(5000) + "\"]}}";
        EngineResponse r = parse("HTTP/1.1 200 OK\r\nContent-Length: " + (body.length() - 2) + "\r\n\r\n" + body);

        assertThatThrownBy(() -> r.json("GET /services"))
                .hasMessageContaining("is not JSON")
                .hasMessageContaining("characters)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(600));
    }

    @Test
    void aChunkedBodyIsJoined_sizesInHex_extensionsAndTrailersIgnored() {
        String first = "[{\"ID\":\"t1\"},";
        String second = "{\"ID\":\"t2\",\"Name\":\"" + "x".repeat(20) + "\"}]";
        EngineResponse r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(first.length()) + "\r\n" + first + "\r\n"
                + Integer.toHexString(second.length()).toUpperCase() + ";ext=1\r\n" + second + "\r\n"
                + "0\r\nX-Trailer: t\r\n\r\n");

        assertThat(r.text()).isEqualTo(first + second);
        assertThat(r.json("GET /tasks")).hasSize(2);
    }

    @Test
    void aBodyWithoutFramingRunsToTheEndOfTheConnection() {
        assertThat(parse("HTTP/1.0 200 OK\r\n\r\n[1,2]").json("GET /x")).hasSize(2);
    }

    @Test
    void anErrorStatusCarriesDockersOwnMessage() {
        EngineResponse r =
                parse("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 46\r\n\r\n"
                        + "{\"message\":\"service hell_app not found\"}\n     ");

        assertThatThrownBy(() -> r.json("GET /v1.41/services/hell_app"))
                .isInstanceOf(DockerEngine.Failure.class)
                .hasMessage("GET /v1.41/services/hell_app: the engine answered 404: service hell_app not found");
    }

    @Test
    void anErrorThatIsNotJsonIsQuotedAsText() {
        EngineResponse r = parse("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 6\r\n\r\nboom\r\n");

        assertThatThrownBy(() -> r.requireOk("GET /x")).hasMessage("GET /x: the engine answered 500: boom");
    }

    @Test
    void aCutResponseIsAFailure_notAShortAnswer() {
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n[1,2"))
                .isInstanceOf(DockerEngine.Failure.class)
                .hasMessageContaining("ended after 4 of 10 body bytes");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n[1,2]\r\n"))
                .isInstanceOf(DockerEngine.Failure.class)
                .hasMessageContaining("without its last chunk");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n[1,2]"))
                .isInstanceOf(DockerEngine.Failure.class)
                .hasMessageContaining("inside a chunk");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Len"))
                .isInstanceOf(DockerEngine.Failure.class)
                .hasMessageContaining("inside its headers");
    }

    @Test
    void garbageIsNotHttp() {
        assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH\r\n\r\n"))
                .isInstanceOf(DockerEngine.Failure.class)
                .hasMessageContaining("did not answer HTTP/1.x");
        assertThatThrownBy(() ->
                        parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{x").json("GET /x"))
                .isInstanceOf(DockerEngine.Failure.class)
                .hasMessageContaining("not JSON");
    }
}
