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
package io.switchboard.store.plugin;

import com.google.inject.Inject;
import io.airlift.log.Logger;
import jakarta.annotation.PreDestroy;
import org.weakref.jmx.MBeanExporter;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Unexports a plugin's beans when the plugin stops, so that a plugin created again in the same
 * JVM (a restarted listener, an in-process test cluster) can export them again under the same
 * names. jmxutils marks {@link MBeanExporter}'s own cleanup with {@code javax.annotation.PreDestroy},
 * which Airlift's LifeCycleManager does not call.
 */
final class MBeanUnexporter
{
    private static final Logger log = Logger.get(MBeanUnexporter.class);

    private final MBeanExporter exporter;

    @Inject
    MBeanUnexporter(MBeanExporter exporter)
    {
        this.exporter = requireNonNull(exporter, "exporter is null");
    }

    @PreDestroy
    public void unexport()
    {
        Map<String, Exception> failures = exporter.unexportAllAndReportMissing();
        failures.forEach((name, failure) -> log.warn("Cannot unexport %s: %s", name, failure.getMessage()));
    }
}
