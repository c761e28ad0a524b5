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
package io.switchboard.plugin.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 that a test can cut, to make MySQL unreachable for the code under
 * test while the test itself still reaches the database directly.
 */
final class TcpProxy
        implements AutoCloseable
{
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket serverSocket;

    TcpProxy(int targetPort)
            throws IOException
    {
        this.targetPort = targetPort;
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = socket.getLocalPort();
        listen(socket);
    }

    int port()
    {
        return port;
    }

    /**
     * Closes every forwarded connection and refuses new ones.
     */
    synchronized void cut()
            throws IOException
    {
        serverSocket.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /**
     * Accepts connections again on the same port.
     */
    synchronized void restore()
            throws IOException
    {
        if (serverSocket.isClosed()) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listen(socket);
        }
    }

    @Override
    public void close()
            throws IOException
    {
        cut();
    }

    private void listen(ServerSocket socket)
    {
        serverSocket = socket;
        Thread.ofVirtual().name("tcp-proxy-accept").start(() -> accept(socket));
    }

    private void accept(ServerSocket socket)
    {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(target);
                pipe(client, target);
                pipe(target, client);
            }
            catch (IOException e) {
                // closed by cut(), or the target refused: the client sees its connection fail
            }
        }
    }

    private void pipe(Socket from, Socket to)
    {
        Thread.ofVirtual().name("tcp-proxy-pipe").start(() -> {
            try (InputStream input = from.getInputStream(); OutputStream output = to.getOutputStream()) {
                input.transferTo(output);
            }
            catch (IOException e) {
                // either side closed
            }
            finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket socket)
    {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // already broken
        }
    }
}
