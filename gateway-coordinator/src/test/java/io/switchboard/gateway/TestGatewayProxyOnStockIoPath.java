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
package io.switchboard.gateway;

import io.switchboard.gateway.server.ServerConfig.IoPath;

/**
 * The end-to-end proxy cases again, with both replicas on {@code http-server.io-path=STOCK}, Jetty's own
 * I/O path, which a Jetty upgrade that breaks the lean path falls back to.
 */
final class TestGatewayProxyOnStockIoPath
        extends TestGatewayProxy
{
    @Override
    protected IoPath ioPath()
    {
        return IoPath.STOCK;
    }
}
