/*
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.switchboard.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Sends one request exactly as given, bytes that no HTTP client library would send included, on
 * its own connection, and reads the whole answer.
 */
final class RawHttp
{
    private RawHttp() {}

    record Answer(int status, String head, String body)
    {
        @Override
        public String toString()
        {
            return status + " " + body;
        }
    }

    static Answer send(int port, String method, String target, Map<String, String> headers, byte[] body)
    {
        return send(port, method, target, headers, body, false);
    }

    /**
     * Sends the body in slices of 16 KB with a pause after each, as a client on a slow link
     * does, and fails if the gateway stops reading it before its last byte.
     */
    static Answer sendSlowly(int port, String method, String target, Map<String, String> headers, byte[] body)
    {
        return send(port, method, target, headers, body, true);
    }

    private static Answer send(int port, String method, String target, Map<String, String> headers, byte[] body, boolean slowly)
    {
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(UTF_8));
            if (body != null && slowly) {
                writeSlowly(out, body);
            }
            else if (body != null) {
                try {
                    out.write(body);
                }
                catch (IOException e) {
                    // the gateway may answer (413) and close before reading a body it refuses
                }
            }
            out.flush();
            return parse(readAll(socket.getInputStream()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("No answer to " + method + " " + target, e);
        }
    }

    private static void writeSlowly(OutputStream out, byte[] body)
            throws IOException
    {
        int slice = 16 * 1024;
        for (int offset = 0; offset < body.length; offset += slice) {
            out.write(body, offset, Math.min(slice, body.length - offset));
            out.flush();
            try {
                Thread.sleep(5);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while sending", e);
            }
        }
    }

    private static byte[] readAll(InputStream in)
            throws IOException
    {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                received.write(buffer, 0, read);
            }
        }
        catch (IOException e) {
            // a reset after the answer was written still leaves the answer
            if (received.size() == 0) {
                throw e;
            }
        }
        return received.toByteArray();
    }

    private static Answer parse(byte[] response)
    {
        String text = new String(response, ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || headEnd < 0) {
            throw new IllegalStateException("Not an HTTP answer: " + text);
        }
        String head = text.substring(0, headEnd);
        String body = new String(response, headEnd + 4, response.length - headEnd - 4, UTF_8);
        return new Answer(Integer.parseInt(text.substring(9, 12)), head, body);
    }
}
