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
package io.switchboard.gateway.server;

import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The socket's reads and read interest, driven by hand as the selector drives them, on a real
 * TCP connection.
 */
public class TestLeanSocketEndPoint
{
    private ServerSocketChannel server;
    private SocketChannel peer;
    private SocketChannel channel;
    private Selector selector;
    private ScheduledExecutorScheduler scheduler;
    private SelectionKey key;
    private LeanSocketEndPoint endPoint;

    @BeforeEach
    public void connect()
            throws Exception
    {
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        peer = SocketChannel.open(server.getLocalAddress());
        channel = server.accept();
        channel.configureBlocking(false);
        selector = Selector.open();
        key = channel.register(selector, 0);
        scheduler = new ScheduledExecutorScheduler();
        scheduler.start();
        endPoint = new LeanSocketEndPoint(channel, null, key, scheduler);
        endPoint.onOpen();
    }

    @AfterEach
    public void close()
            throws Exception
    {
        endPoint.close();
        scheduler.stop();
        selector.close();
        peer.close();
        server.close();
    }

    @Test
    public void readInterestStaysOnTheKeyUntilTheSocketIsReadableUnwanted()
            throws Exception
    {
        FutureCallback firstWait = new FutureCallback();
        endPoint.fillInterested(firstWait);
        endPoint.updateKey();
        assertThat(key.interestOps()).isEqualTo(OP_READ);

        send("first");
        runSelected();
        assertThat(firstWait.isDone()).isTrue();
        // nobody waits to read now, and the interest stays: no system call to remove it and add it back
        endPoint.updateKey();
        assertThat(key.interestOps()).isEqualTo(OP_READ);

        ByteBuffer buffer = BufferUtil.allocate(64);
        assertThat(endPoint.fill(buffer)).isEqualTo(5);

        send("second");
        awaitReadable();
        // the last read emptied the socket and the selector has not reported it since: no read
        assertThat(endPoint.fill(buffer)).isZero();

        // readable while nobody waits to read: the interest comes off the key, or the selector would spin
        assertThat(endPoint.onSelected()).isNull();
        selector.selectedKeys().clear();
        endPoint.updateKey();
        assertThat(key.interestOps()).isZero();

        FutureCallback secondWait = new FutureCallback();
        endPoint.fillInterested(secondWait);
        endPoint.updateKey();
        assertThat(key.interestOps()).isEqualTo(OP_READ);
        runSelected();
        assertThat(secondWait.isDone()).isTrue();
        assertThat(endPoint.fill(buffer)).isEqualTo(6);
        assertThat(BufferUtil.toString(buffer, UTF_8)).isEqualTo("firstsecond");
    }

    @Test
    public void readThatFillsTheBufferReadsAgain()
            throws Exception
    {
        send("0123456789");
        awaitData();
        ByteBuffer buffer = BufferUtil.allocate(4);
        assertThat(endPoint.fill(buffer)).isEqualTo(4);
        BufferUtil.clear(buffer);
        assertThat(endPoint.fill(buffer)).isEqualTo(4);
        BufferUtil.clear(buffer);
        assertThat(endPoint.fill(buffer)).isEqualTo(2);
        assertThat(BufferUtil.toString(buffer, UTF_8)).isEqualTo("89");
    }

    @Test
    public void closedPeerIsSeenAfterTheSelectorReportsIt()
            throws Exception
    {
        FutureCallback wait = new FutureCallback();
        endPoint.fillInterested(wait);
        endPoint.updateKey();
        send("last");
        peer.shutdownOutput();
        runSelected();
        ByteBuffer buffer = BufferUtil.allocate(64);
        assertThat(endPoint.fill(buffer)).isEqualTo(4);
        assertThat(endPoint.fill(buffer)).isZero();

        endPoint.fillInterested(new FutureCallback());
        endPoint.updateKey();
        runSelected();
        assertThat(endPoint.fill(buffer)).isEqualTo(-1);
        assertThat(endPoint.isInputShutdown()).isTrue();
    }

    private void send(String text)
            throws IOException
    {
        peer.write(ByteBuffer.wrap(text.getBytes(UTF_8)));
    }

    private void awaitReadable()
            throws IOException
    {
        assertThat(selector.select(10_000)).isEqualTo(1);
        assertThat(key.isReadable()).isTrue();
    }

    /**
     * Waits for the bytes sent to arrive, asking the selector behind the endpoint's back.
     */
    private void awaitData()
            throws IOException
    {
        key.interestOps(OP_READ);
        awaitReadable();
        selector.selectedKeys().clear();
        key.interestOps(0);
    }

    private void runSelected()
            throws IOException
    {
        awaitReadable();
        Runnable task = endPoint.onSelected();
        selector.selectedKeys().clear();
        assertThat(task).isNotNull();
        task.run();
    }
}
