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
package io.switchboard.gateway.cluster;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Executor;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;

/**
 * Resolves the host names of clusters for the gateway's HTTP clients, leaving out link-local and
 * cloud metadata addresses (unless {@code clusters.allow-link-local-addresses}): a cluster
 * registered by name cannot make the gateway call them, even when its name later resolves there.
 */
public final class ClusterAddressResolver
        implements SocketAddressResolver
{
    private final SocketAddressResolver delegate;
    private final boolean allowLinkLocal;

    /**
     * Makes the client resolve through this resolver; call before the client starts.
     */
    public static void install(HttpClient client, Executor executor, String threadName, boolean allowLinkLocal)
    {
        Scheduler scheduler = new ScheduledExecutorScheduler(threadName + "-scheduler", true);
        client.setScheduler(scheduler);
        client.setSocketAddressResolver(new ClusterAddressResolver(new SocketAddressResolver.Async(executor, scheduler, client.getAddressResolutionTimeout()), allowLinkLocal));
    }

    private ClusterAddressResolver(SocketAddressResolver delegate, boolean allowLinkLocal)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.allowLinkLocal = allowLinkLocal;
    }

    @Override
    public void resolve(String host, int port, Promise<List<InetSocketAddress>> promise)
    {
        if (allowLinkLocal) {
            delegate.resolve(host, port, promise);
            return;
        }
        delegate.resolve(host, port, new Promise<>()
        {
            @Override
            public void succeeded(List<InetSocketAddress> addresses)
            {
                List<InetSocketAddress> allowed = addresses.stream()
                        .filter(address -> address.getAddress() == null || !ClusterSpec.isLinkLocalOrMetadata(address.getAddress().getHostAddress()))
                        .collect(toImmutableList());
                if (allowed.isEmpty()) {
                    promise.failed(new UnknownHostException(host + " resolves only to link-local or cloud metadata addresses, which the gateway does not call " +
                            "(clusters.allow-link-local-addresses)"));
                    return;
                }
                promise.succeeded(allowed);
            }

            @Override
            public void failed(Throwable failure)
            {
                promise.failed(failure);
            }
        });
    }
}
