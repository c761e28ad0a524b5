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

import io.trino.plugin.base.security.AllowAllSystemAccessControl;
import io.trino.spi.QueryId;
import io.trino.spi.security.AccessDeniedException;
import io.trino.spi.security.Identity;

/**
 * Allows everything, except that user {@code rejected} is refused and user {@code broken} hits an
 * internal error, so that tests can produce rejected queries and internal failures.
 */
final class TestingAccessControl
        extends AllowAllSystemAccessControl
{
    static final String REJECTED_USER = "rejected";
    static final String BROKEN_USER = "broken";

    @Override
    public void checkCanExecuteQuery(Identity identity, QueryId queryId)
    {
        if (identity.getUser().equals(REJECTED_USER)) {
            throw new AccessDeniedException("this cluster does not take queries from " + REJECTED_USER);
        }
        if (identity.getUser().equals(BROKEN_USER)) {
            throw new IllegalStateException("access control broke down");
        }
    }
}
