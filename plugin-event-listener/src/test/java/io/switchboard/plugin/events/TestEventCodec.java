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
package io.switchboard.plugin.events;

import io.switchboard.store.history.QueryEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static io.switchboard.plugin.events.TestingSegments.PREVIOUS_FORMAT_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestEventCodec
{
    @Test
    void roundTrip()
            throws IOException
    {
        for (QueryEvent event : PREVIOUS_FORMAT_EVENTS) {
            assertThat(EventCodec.decode(EventCodec.encode(event))).isEqualTo(event);
        }
    }

    @Test
    void unknownRecordVersion()
    {
        byte[] bytes = EventCodec.encode(PREVIOUS_FORMAT_EVENTS.getFirst());
        bytes[0] = 2;
        assertThatThrownBy(() -> EventCodec.decode(bytes))
                .isInstanceOf(IOException.class)
                .hasMessage("Unknown spool record version 2");
    }

    @Test
    void truncatedRecord()
    {
        byte[] bytes = EventCodec.encode(PREVIOUS_FORMAT_EVENTS.getLast());
        assertThatThrownBy(() -> EventCodec.decode(Arrays.copyOf(bytes, bytes.length - 3))).isInstanceOf(IOException.class);
    }
}
