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

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.ThreadMXBean;
import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The gateway JVM's platform MXBeans over a local JMX connection.
 */
final class GatewayJvm
        implements AutoCloseable
{
    private final JMXConnector connector;
    private final MBeanServerConnection connection;
    private final MemoryMXBean memory;
    private final List<GarbageCollectorMXBean> collectors;
    private final Set<String> heapPools;
    private final RuntimeMXBean runtime;
    private final ThreadMXBean threads;

    private GatewayJvm(JMXConnector connector)
            throws IOException
    {
        this.connector = requireNonNull(connector, "connector is null");
        this.connection = connector.getMBeanServerConnection();
        this.memory = ManagementFactory.newPlatformMXBeanProxy(connection, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        this.runtime = ManagementFactory.newPlatformMXBeanProxy(connection, ManagementFactory.RUNTIME_MXBEAN_NAME, RuntimeMXBean.class);
        this.threads = ManagementFactory.newPlatformMXBeanProxy(connection, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
        this.collectors = ManagementFactory.getPlatformMXBeans(connection, GarbageCollectorMXBean.class);
        this.heapPools = ManagementFactory.getPlatformMXBeans(connection, MemoryPoolMXBean.class).stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    static GatewayJvm attach(long pid)
            throws Exception
    {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        }
        finally {
            vm.detach();
        }
        return new GatewayJvm(JMXConnectorFactory.connect(new JMXServiceURL(address)));
    }

    /**
     * The bytes every thread of the JVM has allocated on the heap since it started.
     */
    long allocatedBytes()
    {
        return threads.getTotalThreadAllocatedBytes();
    }

    MemoryUsage heap()
    {
        return memory.getHeapMemoryUsage();
    }

    /**
     * A full collection (System.gc() in the gateway JVM), then the heap it left in use.
     */
    long liveHeap()
    {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    List<String> inputArguments()
    {
        return runtime.getInputArguments();
    }

    /**
     * Calls the listener with the heap in use after every collection the JVM runs.
     */
    void onCollection(LongConsumer heapAfterCollection)
            throws Exception
    {
        NotificationListener listener = (Notification notification, Object _) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(entry -> heapPools.contains(entry.getKey()))
                        .mapToLong(entry -> entry.getValue().getUsed())
                        .sum();
                if (!"System.gc()".equals(info.getGcCause())) {
                    heapAfterCollection.accept(used);
                }
            }
        };
        for (GarbageCollectorMXBean collector : collectors) {
            connection.addNotificationListener(collector.getObjectName(), listener, null, null);
        }
    }

    @Override
    public void close()
            throws IOException
    {
        connector.close();
    }
}
