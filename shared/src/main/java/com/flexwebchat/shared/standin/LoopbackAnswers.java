package com.flexwebchat.shared.standin;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers chosen in this process, served over a real socket: an HTTP/1.1 server on 127.0.0.1 that
 * answers each request with the status and body registered for it. A client that stands answers
 * in for a remote service ({@link #carrying}) still sends every request through its own HTTP
 * client, connection pool and response parsing, so that code runs exactly as for the service;
 * only the destination is this process. Nothing leaves the machine, and the server lives only
 * between {@link #open()} and {@link #close()}.
 *
 * <p>Deliberately small: one thread per connection, keep-alive, {@code Content-Length} bodies
 * (what the JDK's client sends for the byte and string publishers), no TLS.
 */
public final class LoopbackAnswers implements AutoCloseable {

    /** The request header naming the answer registered for that request. */
    static final String ANSWER_HEADER = "X-Loopback-Answer";

    private record Answer(int status, byte[] body) {
    }

    private final ServerSocket server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();

    private LoopbackAnswers(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::accept, "loopback-answers");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A server on a free port of 127.0.0.1, accepting until closed. */
    public static LoopbackAnswers open() {
        try {
            return new LoopbackAnswers(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
    }

    /**
     * {@code request} sent here instead of to its host (same method, path, query, headers, body and
     * timeout), to be answered with {@code status} and {@code body}.
     */
    public HttpRequest carrying(HttpRequest request, int status, byte[] body) {
        String id = Long.toString(ids.incrementAndGet());
        answers.put(id, new Answer(status, body));
        URI original = request.uri();
        URI here = URI.create("http://127.0.0.1:" + server.getLocalPort() + (original.getRawPath() == null ? "/" : original.getRawPath())
                + (original.getRawQuery() == null ? "" : "?" + original.getRawQuery()));
        return HttpRequest.newBuilder(request, (name, value) -> true).uri(here).header(ANSWER_HEADER, id).build();
    }

    /** Stops listening and drops every connection; requests still in flight fail as a dropped connection would. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket connection : connections) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        answers.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                connection.setTcpNoDelay(true);
                connections.add(connection);
                Thread serving = new Thread(() -> serve(connection), "loopback-answers-connection");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Requests on one kept-alive connection, each answered with what was registered for it. */
    private void serve(Socket connection) {
        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream());
             OutputStream out = connection.getOutputStream()) {
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                String id = null;
                int length = 0;
                for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                    int colon = header.indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = header.substring(colon + 1).trim();
                    if (name.equals(ANSWER_HEADER.toLowerCase(Locale.ROOT))) {
                        id = value;
                    } else if (name.equals("content-length")) {
                        length = Integer.parseInt(value);
                    }
                }
                if (in.readNBytes(length).length < length) {
                    return;
                }
                Answer answer = id == null ? null : answers.remove(id);
                byte[] body = answer == null ? "{\"message\":\"no answer registered\"}".getBytes(StandardCharsets.UTF_8) : answer.body();
                int status = answer == null ? 500 : answer.status();
                byte[] head = ("HTTP/1.1 " + status + " " + (status < 400 ? "OK" : "Error") + "\r\n"
                        + "Content-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
                // One write: a head and a body written apart would wait on Nagle's algorithm and
                // the client's delayed acknowledgement (about 40 ms an answer on Linux).
                byte[] whole = new byte[head.length + body.length];
                System.arraycopy(head, 0, whole, 0, head.length);
                System.arraycopy(body, 0, whole, head.length, body.length);
                out.write(whole);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the connection is gone (closed by the client or by close()): nothing to answer
        } finally {
            connections.remove(connection);
        }
    }

    /** One CRLF-terminated line of the request head, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
