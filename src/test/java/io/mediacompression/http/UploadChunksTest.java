package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UploadChunksTest {

    @Test
    void the_proxy_is_equal_to_itself_only() throws Exception {
        Vertx vertx = UploadChunks.vertx(new VertxOptions(), UploadChunks.MAX_CHUNK_BYTES);
        try {
            assertThat(vertx.equals(vertx)).isTrue();
            assertThat(vertx.equals(null)).isFalse();
            assertThat(Set.of(vertx)).contains(vertx);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void servers_hand_on_request_bodies_in_pieces_larger_than_the_vertx_default() throws Exception {
        Vertx vertx = UploadChunks.vertx(new VertxOptions(), UploadChunks.MAX_CHUNK_BYTES);
        try {
            AtomicInteger largest = new AtomicInteger();
            AtomicInteger received = new AtomicInteger();
            // built as Camel's platform-http server builds its own: with default options
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()).requestHandler(request -> {
                request.handler(piece -> {
                    largest.accumulateAndGet(piece.length(), Math::max);
                    received.addAndGet(piece.length());
                });
                request.endHandler(v -> request.response().end("ok"));
            });
            int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .actualPort();

            byte[] body = new byte[8 * 1024 * 1024];
            HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.body()).isEqualTo("ok");
            assertThat(received.get()).isEqualTo(body.length);
            assertThat(largest.get()).isGreaterThan(HttpServerOptions.DEFAULT_MAX_CHUNK_SIZE)
                    .isLessThanOrEqualTo(UploadChunks.MAX_CHUNK_BYTES);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
