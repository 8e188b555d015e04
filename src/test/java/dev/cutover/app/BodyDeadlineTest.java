package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's body deadline, over a real socket: a body still arriving after it is answered 408. */
@Timeout(20)
class BodyDeadlineTest {
    final AtomicInteger servletCalls = new AtomicInteger();
    final HttpServlet echo = new HttpServlet() {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            servletCalls.incrementAndGet();
            byte[] body = request.getInputStream().readAllBytes();
            response.setStatus(200);
            response.getOutputStream().write(("got " + body.length).getBytes(StandardCharsets.US_ASCII));
        }
    };

    @Test
    void aBodyTrickledPastTheDeadline_isAnswered408_andNeverReachesTheServlet() throws Exception {
        try (HttpServer server = new HttpServer("127.0.0.1", 0, Map.of("/echo", echo), Duration.ofMillis(700))) {
            server.start();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 5; i++) { // 1 byte every 200 ms: still short of 100 bytes at the deadline
                    out.write('a');
                    out.flush();
                    Thread.sleep(200); // real sockets against Jetty's real scheduler; bounded
                }
                String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                assertThat(status).startsWith("HTTP/1.1 408");
            }
            assertThat(servletCalls).hasValue(0);
        }
    }

    @Test
    void aBodySentInPieces_withinTheDeadline_reachesTheServletWhole() throws Exception {
        try (HttpServer server = new HttpServer("127.0.0.1", 0, Map.of("/echo", echo), Duration.ofSeconds(5))) {
            server.start();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 10\r\n\r\n12345")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(100);
                out.write("67890".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).startsWith("HTTP/1.1 200").endsWith("got 10");
            }
        }
    }
}
