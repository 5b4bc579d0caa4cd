package com.flexwebchat.local.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One client's HTTP/1.1 connection to the API, kept alive between requests, from a source address
 * of its own (the JDK 17 HttpClient cannot choose one). The API is this project's local gateway,
 * which always answers with a Content-Length, so that is all this reads.
 */
final class LoadClient implements AutoCloseable {

    /** One answer: its status and body (the headers are not needed). */
    record Answer(int status, String body) {
    }

    private final InetSocketAddress server;
    private final InetAddress localAddress;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long connects;

    LoadClient(InetSocketAddress server, InetAddress localAddress, Duration timeout) {
        this.server = server;
        this.localAddress = localAddress;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    /** Connections opened so far. */
    long connects() {
        return connects;
    }

    /**
     * POSTs {@code body} to {@code path}. A kept-alive connection the server has closed meanwhile
     * (its idle timeout) is reopened and the request sent once more, as HTTP clients do when
     * nothing of an answer came back.
     */
    Answer post(String path, String host, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        boolean reused = socket != null;
        try {
            return exchange(headBytes, body);
        } catch (StaleConnection stale) {
            if (!reused) {
                throw new IOException("the server closed a new connection without answering");
            }
            close();
            return exchange(headBytes, body);
        }
    }

    private static final class StaleConnection extends IOException {
        StaleConnection() {
            super("closed before any answer");
        }
    }

    private Answer exchange(byte[] head, byte[] body) throws IOException {
        if (socket == null) {
            open();
        }
        try {
            out.write(head);
            out.write(body);
            out.flush();
        } catch (IOException e) {
            throw new StaleConnection();
        }
        String statusLine = line(true);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            close();
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        int length = 0;
        boolean closeAfter = false;
        for (String header = line(false); !header.isEmpty(); header = line(false)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Integer.parseInt(value);
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                closeAfter = true;
            }
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            close();
            throw new IOException("the answer ended after " + bytes.length + " of " + length + " bytes");
        }
        if (closeAfter) {
            close();
        }
        return new Answer(status, new String(bytes, StandardCharsets.UTF_8));
    }

    private void open() throws IOException {
        Socket opened = new Socket();
        try {
            opened.setReuseAddress(true);
            opened.bind(new InetSocketAddress(localAddress, 0));
            opened.connect(server, timeoutMillis);
            opened.setTcpNoDelay(true);
            opened.setSoTimeout(timeoutMillis);
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        socket = opened;
        in = new BufferedInputStream(opened.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(opened.getOutputStream(), 16 * 1024);
        connects++;
    }

    /** A line without its CRLF; on the status line, the end of the stream before any byte is a stale connection. */
    private String line(boolean first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = readByte(first && line.size() == 0)) != '\n') {
            if (b == -1) {
                close();
                throw new IOException("the server closed the connection in the middle of an answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private int readByte(boolean firstOfAnswer) throws IOException {
        int b;
        try {
            b = in.read();
        } catch (java.net.SocketTimeoutException timeout) {
            close();
            throw timeout;
        } catch (IOException reset) {
            if (firstOfAnswer) {
                throw new StaleConnection();
            }
            close();
            throw reset;
        }
        if (b == -1 && firstOfAnswer) {
            throw new StaleConnection();
        }
        return b;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
