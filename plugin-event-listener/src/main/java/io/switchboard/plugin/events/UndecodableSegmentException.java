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

/**
 * A spool segment whose content this plugin cannot read back: a format or record version it
 * does not know, or a frame whose checksum is right but whose event does not decode. Retrying
 * cannot help, unlike a failure to read the file.
 */
final class UndecodableSegmentException
        extends Exception
{
    UndecodableSegmentException(String message)
    {
        super(message);
    }

    UndecodableSegmentException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
