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

import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;

/**
 * A socket of the proxy that makes the system calls nginx makes for a request and no others.
 * Jetty's socket made 12 where nginx makes 6 or 7 (a read and a write on each of the two
 * connections, and a wait on each side):
 * <ul>
 * <li>Jetty reads a connection until a read finds nothing, so every proxied request cost four
 * reads that failed with {@code EAGAIN}. A read that leaves room in its buffer has emptied the
 * socket's receive buffer; until the selector reports the socket readable again, the next read
 * answers "nothing yet" without a system call.</li>
 * <li>Jetty's interest in reading is one-shot: it took the client connection out of the selector
 * after every request ({@code epoll_ctl DEL}) and put it back after the response
 * ({@code EPOLL_CTL_ADD}). Here the read interest stays on the selection key while nobody waits
 * to read; only if the socket then becomes readable (a pipelined request, a client closing its
 * connection early) is the interest really removed, until the next read is wanted.</li>
 * </ul>
 * Both are safe because the selector is level-triggered: whoever gets "nothing yet" asks to be
 * told when there is more, and data that arrived in the meantime is reported at once.
 * Write interest is managed as in Jetty: a writable socket would wake the selector forever.
 */
class LeanSocketEndPoint
        extends SocketChannelEndPoint
{
    private final ManagedSelector selector;
    private final ManagedSelector.SelectorUpdate updateKeyAction = _ -> updateKey();
    private final Runnable fillable = new SelectedTask(InvocationKind.FILL);
    private final Runnable flushable = new SelectedTask(InvocationKind.FLUSH);
    private final Runnable fillableAndFlushable = new SelectedTask(InvocationKind.FILL_AND_FLUSH);
    private final Object lock = new Object();

    private volatile SelectionKey key;
    // guarded by lock
    private boolean updatePending;
    private int desiredOps;
    private int registeredOps;
    private boolean unwantedRead;

    // how often the selector reported the socket readable, and at which count a read last found it empty;
    // written by the selector's thread and the reading thread, which may differ
    private volatile long readableReports;
    private volatile long emptyAtReport = -1;

    LeanSocketEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler)
    {
        super(channel, selector, key, scheduler);
        this.selector = selector;
        this.key = key;
    }

    /**
     * The selector the socket is registered on.
     */
    ManagedSelector selector()
    {
        return selector;
    }

    @Override
    public int fill(ByteBuffer buffer)
            throws IOException
    {
        long reports = readableReports;
        if (emptyAtReport == reports && !isInputShutdown()) {
            return 0;
        }
        int filled = super.fill(buffer);
        // the read had room up to the buffer's capacity: if it left some, the socket had no more
        if (filled >= 0 && buffer.limit() < buffer.capacity()) {
            emptyAtReport = reports;
        }
        return filled;
    }

    @Override
    protected void needsFillInterest()
    {
        changeInterests(OP_READ);
    }

    @Override
    protected void onIncompleteFlush()
    {
        changeInterests(OP_WRITE);
    }

    private void changeInterests(int operation)
    {
        boolean submit;
        synchronized (lock) {
            desiredOps |= operation;
            // a read interest still on the key needs no update, and no wake-up of the selector
            submit = !updatePending && (registeredOps & operation) == 0;
        }
        if (submit && selector != null) {
            selector.submit(updateKeyAction);
        }
    }

    @Override
    public Runnable onSelected()
    {
        int readyOps = key.readyOps();
        boolean fill;
        boolean flush;
        synchronized (lock) {
            updatePending = true;
            fill = (readyOps & OP_READ) != 0 && (desiredOps & OP_READ) != 0;
            flush = (readyOps & OP_WRITE) != 0;
            // readable while nobody waits to read: take the kept read interest off the key
            unwantedRead = (readyOps & OP_READ) != 0 && !fill;
            desiredOps &= ~readyOps;
        }
        if ((readyOps & OP_READ) != 0) {
            readableReports++;
        }
        if (fill) {
            return flush ? fillableAndFlushable : fillable;
        }
        return flush ? flushable : null;
    }

    @Override
    public void updateKey()
    {
        try {
            synchronized (lock) {
                updatePending = false;
                int ops = unwantedRead ? desiredOps : desiredOps | (registeredOps & OP_READ);
                unwantedRead = false;
                if (ops != registeredOps) {
                    registeredOps = ops;
                    key.interestOps(ops);
                }
            }
        }
        catch (CancelledKeyException e) {
            close();
        }
        catch (RuntimeException e) {
            close(e);
        }
    }

    @Override
    public void replaceKey(SelectionKey newKey)
    {
        key = newKey;
        super.replaceKey(newKey);
    }

    @Override
    public String toEndPointString()
    {
        synchronized (lock) {
            return "%s{desired=%d,registered=%d}".formatted(super.toEndPointString(), desiredOps, registeredOps);
        }
    }

    private enum InvocationKind
    {
        FILL, FLUSH, FILL_AND_FLUSH
    }

    /**
     * What the selector runs for a ready socket; closes the socket if no thread can run it.
     */
    private final class SelectedTask
            implements Invocable.Task, Closeable
    {
        private final InvocationKind kind;

        SelectedTask(InvocationKind kind)
        {
            this.kind = kind;
        }

        @Override
        public void run()
        {
            if (kind != InvocationKind.FILL) {
                getWriteFlusher().completeWrite();
            }
            if (kind != InvocationKind.FLUSH) {
                getFillInterest().fillable();
            }
        }

        @Override
        public InvocationType getInvocationType()
        {
            return switch (kind) {
                case FILL -> getFillInterest().getCallbackInvocationType();
                case FLUSH -> getWriteFlusher().getCallbackInvocationType();
                case FILL_AND_FLUSH -> combined(getFillInterest().getCallbackInvocationType(), getWriteFlusher().getCallbackInvocationType());
            };
        }

        // as Jetty's socket combines them: a task that may block either way is blocking
        private static InvocationType combined(InvocationType fill, InvocationType flush)
        {
            if (fill == flush) {
                return fill;
            }
            boolean nonBlocking = fill == InvocationType.NON_BLOCKING || flush == InvocationType.NON_BLOCKING;
            boolean either = fill == InvocationType.EITHER || flush == InvocationType.EITHER;
            return nonBlocking && either ? InvocationType.EITHER : InvocationType.BLOCKING;
        }

        @Override
        public void close()
        {
            LeanSocketEndPoint.this.close();
        }
    }
}
