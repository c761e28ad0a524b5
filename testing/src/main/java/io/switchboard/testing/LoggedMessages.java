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
package io.switchboard.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static java.util.Objects.requireNonNull;

/**
 * What a logger of this JVM logs while it is open (Airlift's loggers are java.util.logging ones),
 * for tests of what operators read in the log.
 */
public final class LoggedMessages
        implements AutoCloseable
{
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler()
    {
        @Override
        public void publish(LogRecord record)
        {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LoggedMessages(String loggerName)
    {
        // kept in a field: java.util.logging holds its loggers weakly, with their handlers
        this.logger = Logger.getLogger(requireNonNull(loggerName, "loggerName is null"));
        logger.addHandler(handler);
    }

    public static LoggedMessages of(Class<?> loggingClass)
    {
        return new LoggedMessages(loggingClass.getName());
    }

    /**
     * Everything logged in this JVM, whatever the logger.
     */
    public static LoggedMessages ofAll()
    {
        return new LoggedMessages("");
    }

    /**
     * The messages logged at any level so far, formatted, oldest first.
     */
    public List<String> all()
    {
        return records.stream()
                .map(LogRecord::getMessage)
                .toList();
    }

    /**
     * The messages logged at this level so far, formatted, oldest first.
     */
    public List<String> at(Level level)
    {
        return records.stream()
                .filter(record -> record.getLevel().equals(level))
                .map(LogRecord::getMessage)
                .toList();
    }

    @Override
    public void close()
    {
        logger.removeHandler(handler);
    }
}
