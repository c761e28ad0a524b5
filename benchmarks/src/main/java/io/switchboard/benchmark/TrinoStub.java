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
package io.switchboard.benchmark;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A stand-in for a Trino coordinator that answers the statement protocol as cheaply as possible,
 * so that a benchmark through a proxy measures the proxy. It builds {@code nextUri} and
 * {@code infoUri} from {@code X-Forwarded-Proto/Host/Port} and {@code X-Forwarded-Prefix} the way
 * Trino 476 does with {@code http-server.process-forwarded=true}, and from its own address when
 * they are absent. It is stateless: any {@code nextUri} can be fetched any number of times.
 * <p>
 * Only for the benchmark; product tests run against real Trino servers.
 * <p>
 * Usage: {@code TrinoStub <port, 0 for any> [<file to write the bound port to>]}; binds 127.0.0.1.
 */
public final class TrinoStub
{
    private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON_UTF_8.asString());
    private static final String QUEUED = "/v1/statement/queued/";
    private static final String EXECUTING = "/v1/statement/executing/";
    private static final int LAST_TOKEN = 5;
    private static final ByteBuffer INFO = ByteBuffer.wrap(
            "{\"nodeVersion\":{\"version\":\"476\"},\"environment\":\"benchmark\",\"coordinator\":true,\"starting\":false,\"uptime\":\"1.00m\"}"
                    .getBytes(UTF_8)).asReadOnlyBuffer();

    private final AtomicLong queryCounter = new AtomicLong();
    private final Server server;
    private final ServerConnector connector;

    public TrinoStub(int port)
    {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("stub");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration configuration = new HttpConfiguration();
        configuration.setSendServerVersion(false);
        configuration.setSendDateHeader(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(configuration));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new StubHandler());
    }

    public void start()
            throws Exception
    {
        server.start();
    }

    public void stop()
            throws Exception
    {
        server.stop();
    }

    public int port()
    {
        return connector.getLocalPort();
    }

    public static void main(String[] args)
            throws Exception
    {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: TrinoStub <port> [<port file>]");
            System.exit(2);
        }
        TrinoStub stub = new TrinoStub(Integer.parseInt(args[0]));
        stub.start();
        if (args.length == 2) {
            Path portFile = Path.of(args[1]);
            Path temporary = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(temporary, String.valueOf(stub.port()));
            Files.move(temporary, portFile);
        }
        System.out.println("Trino stub listening on http://127.0.0.1:" + stub.port());
        stub.server.join();
    }

    private class StubHandler
            extends Handler.Abstract.NonBlocking
    {
        @Override
        public boolean handle(Request request, Response response, Callback callback)
        {
            String path = request.getHttpURI().getPath();
            String method = request.getMethod();
            if ("POST".equals(method) && ("/v1/statement".equals(path) || "/v1/statement/".equals(path))) {
                // read the statement like Trino does, then answer
                Content.Source.consumeAll(request, Callback.from(
                        () -> send(response, callback, submitted(request)),
                        callback::failed));
                return true;
            }
            if ("GET".equals(method) && path.startsWith(QUEUED)) {
                send(response, callback, page(request, path, QUEUED));
                return true;
            }
            if ("GET".equals(method) && path.startsWith(EXECUTING)) {
                send(response, callback, page(request, path, EXECUTING));
                return true;
            }
            if ("GET".equals(method) && "/v1/info".equals(path)) {
                response.getHeaders().put(JSON);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, INFO.remaining());
                response.write(true, INFO.slice(), callback);
                return true;
            }
            Response.writeError(request, response, callback, 404);
            return true;
        }

        private String submitted(Request request)
        {
            long sequence = queryCounter.incrementAndGet();
            // never reused, as Trino's: its counter has five digits, so the time part moves on every 100,000 queries
            String queryId = "20260101_%06d_%05d_abcde".formatted(sequence / 100_000, sequence % 100_000);
            String slug = "y" + Long.toHexString(sequence);
            return results(baseUri(request), queryId, "QUEUED", QUEUED + queryId + "/" + slug + "/1");
        }

        /**
         * {@code <queued|executing>/<query id>/<slug>/<token>}: the next page, or the last one.
         */
        private String page(Request request, String path, String kind)
        {
            int idEnd = path.indexOf('/', kind.length());
            int slugEnd = idEnd < 0 ? -1 : path.indexOf('/', idEnd + 1);
            if (slugEnd < 0) {
                return null;
            }
            String queryId = path.substring(kind.length(), idEnd);
            String slug = path.substring(idEnd + 1, slugEnd);
            int token;
            try {
                token = Integer.parseInt(path.substring(slugEnd + 1));
            }
            catch (NumberFormatException e) {
                return null;
            }
            String base = baseUri(request);
            if (token >= LAST_TOKEN) {
                return results(base, queryId, "FINISHED", null);
            }
            String next = (token < 2 ? QUEUED : EXECUTING) + queryId + "/" + slug + "/" + (token + 1);
            return results(base, queryId, token < 2 ? "QUEUED" : "RUNNING", next);
        }

        private void send(Response response, Callback callback, String json)
        {
            if (json == null) {
                response.setStatus(404);
                response.write(true, null, callback);
                return;
            }
            byte[] bytes = json.getBytes(UTF_8);
            response.getHeaders().put(JSON);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }
    }

    private static String results(String base, String queryId, String state, String nextPath)
    {
        StringBuilder json = new StringBuilder(512)
                .append("{\"id\":\"").append(queryId)
                .append("\",\"infoUri\":\"").append(base).append("/ui/query.html?").append(queryId).append('"');
        if (nextPath != null) {
            json.append(",\"nextUri\":\"").append(base).append(nextPath).append('"');
        }
        json.append(",\"stats\":{\"state\":\"").append(state)
                .append("\",\"queued\":").append(!"RUNNING".equals(state) && !"FINISHED".equals(state))
                .append(",\"scheduled\":").append(!"QUEUED".equals(state))
                .append(",\"nodes\":1,\"totalSplits\":0,\"queuedSplits\":0,\"runningSplits\":0,\"completedSplits\":0")
                .append(",\"cpuTimeMillis\":0,\"wallTimeMillis\":0,\"queuedTimeMillis\":1,\"elapsedTimeMillis\":1")
                .append(",\"processedRows\":0,\"processedBytes\":0,\"physicalInputBytes\":0,\"peakMemoryBytes\":0,\"spilledBytes\":0}");
        if ("FINISHED".equals(state)) {
            json.append(",\"columns\":[{\"name\":\"_col0\",\"type\":\"integer\",\"typeSignature\":{\"rawType\":\"integer\",\"arguments\":[]}}],\"data\":[[1]]");
        }
        return json.append(",\"warnings\":[]}").toString();
    }

    /**
     * The external base URI the way Trino sees it: Jetty's forwarded-request processing applies
     * {@code X-Forwarded-Proto/Host/Port}, then Trino prepends {@code X-Forwarded-Prefix}.
     */
    static String baseUri(Request request)
    {
        String scheme = request.getHeaders().get("X-Forwarded-Proto");
        if (scheme == null) {
            scheme = request.getHttpURI().getScheme();
        }
        String host;
        int port;
        String forwardedHost = request.getHeaders().get("X-Forwarded-Host");
        if (forwardedHost != null) {
            forwardedHost = forwardedHost.split(",", 2)[0].trim();
            int colon = forwardedHost.lastIndexOf(':');
            if (colon > 0 && forwardedHost.indexOf(']', colon) < 0) {
                host = forwardedHost.substring(0, colon);
                port = Integer.parseInt(forwardedHost.substring(colon + 1));
            }
            else {
                host = forwardedHost;
                port = -1;
            }
        }
        else {
            host = Request.getServerName(request);
            port = Request.getServerPort(request);
        }
        String forwardedPort = request.getHeaders().get("X-Forwarded-Port");
        if (forwardedPort != null) {
            port = Integer.parseInt(forwardedPort.trim());
        }
        StringBuilder base = new StringBuilder(64).append(scheme).append("://").append(host);
        if (port > 0 && !(port == 80 && "http".equals(scheme)) && !(port == 443 && "https".equals(scheme))) {
            base.append(':').append(port);
        }
        String prefix = request.getHeaders().get("X-Forwarded-Prefix");
        if (prefix != null && !prefix.isEmpty()) {
            base.append(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        }
        return base.toString();
    }
}
