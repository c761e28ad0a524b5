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
package io.switchboard.gateway.proxy;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static java.lang.Math.max;
import static java.lang.Math.toIntExact;
import static java.util.Objects.requireNonNull;

/**
 * Reads a submitted statement whole, up to a limit. A longer one is read to its end and
 * dropped, never refused mid-body: Jetty's own bounded read fails the request content, the
 * connection then closes while the client is still sending, and the client, reset, never
 * sees the answer that says why.
 */
final class StatementReader
        implements Runnable
{
    private static final int UNKNOWN_LENGTH_BUFFER = 8 * 1024;

    private final Content.Source source;
    private final int maxBytes;
    private final CompletableFuture<Optional<byte[]>> result = new CompletableFuture<>();
    private byte[] buffer;
    private int size;
    private boolean tooLarge;

    private StatementReader(Request request, int maxBytes)
    {
        this.source = requireNonNull(request, "request is null");
        this.maxBytes = maxBytes;
        long length = request.getLength();
        this.tooLarge = length > maxBytes;
        this.buffer = new byte[tooLarge ? 0 : length >= 0 ? toIntExact(length) : Math.min(maxBytes, UNKNOWN_LENGTH_BUFFER)];
    }

    /**
     * The statement's bytes, or empty when it is longer than {@code maxBytes} (and has been read
     * to its end); fails when the client stops sending it.
     */
    static CompletableFuture<Optional<byte[]>> read(Request request, int maxBytes)
    {
        StatementReader reader = new StatementReader(request, maxBytes);
        reader.run();
        return reader.result;
    }

    @Override
    public void run()
    {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                source.fail(chunk.getFailure());
                result.completeExceptionally(chunk.getFailure());
                return;
            }
            append(chunk.getByteBuffer());
            chunk.release();
            if (chunk.isLast()) {
                result.complete(tooLarge ? Optional.empty() : Optional.of(size == buffer.length ? buffer : Arrays.copyOf(buffer, size)));
                return;
            }
        }
    }

    private void append(ByteBuffer bytes)
    {
        int remaining = bytes.remaining();
        if (tooLarge || remaining == 0) {
            return;
        }
        if (remaining > maxBytes - size) {
            tooLarge = true;
            buffer = null;
            return;
        }
        if (remaining > buffer.length - size) {
            buffer = Arrays.copyOf(buffer, Math.min(maxBytes, max(size + remaining, buffer.length * 2)));
        }
        bytes.get(buffer, size, remaining);
        size += remaining;
    }
}
