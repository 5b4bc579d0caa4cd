package com.flexwebchat.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as written: for the requests a well-behaved client
 * (the JDK's HttpClient) refuses to send, and for clients that stall half-way.
 */
final class RawHttp implements AutoCloseable {

    /** One answer as read off the wire; status -1 when the server closed without answering. */
    record Answer(int status, Map<String, String> headers, String body, boolean closed) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    static RawHttp connect(int port) throws IOException {
        return connect(port, null);
    }

    /** From {@code localAddress} (e.g. 127.0.0.7; any 127.x address is local on Linux), or any when null. */
    static RawHttp connect(int port, String localAddress) throws IOException {
        Socket socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        }
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
        socket.setTcpNoDelay(true);
        return new RawHttp(socket);
    }

    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * Reads one answer (status line, headers, a Content-Length body), waiting at most
     * {@code timeout}; throws SocketTimeoutException if none came in that time.
     */
    Answer read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        if (statusLine == null) {
            return new Answer(-1, Map.of(), "", true);
        }
        while (statusLine.startsWith("HTTP/1.1 1")) { // interim answers (100 Continue): skip them and their blank line
            while (!line(in).isEmpty()) {
                // skip
            }
            statusLine = line(in);
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.merge(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim(),
                    (a, b) -> a + "\n" + b);
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        boolean closed = "close".equalsIgnoreCase(headers.get("connection"));
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), closed);
    }

    /**
     * Waits until the server closes the connection (read returns end of stream or the connection
     * is reset) and returns how long that took, or null when it was still open after {@code timeout}.
     * Whatever the server writes before closing (a 408, say) is read and dropped.
     */
    Duration awaitClose(Duration timeout) throws IOException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        InputStream in = socket.getInputStream();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) left);
            try {
                if (in.read() == -1) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException reset) {
                return Duration.ofNanos(System.nanoTime() - started);
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
