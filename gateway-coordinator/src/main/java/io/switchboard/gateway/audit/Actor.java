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
package io.switchboard.gateway.audit;

import jakarta.servlet.http.HttpServletRequest;

import static java.util.Objects.requireNonNull;

/**
 * Who made an administrative change, and from where.
 */
public record Actor(String name, String remoteAddress)
{
    public Actor
    {
        requireNonNull(name, "name is null");
        requireNonNull(remoteAddress, "remoteAddress is null");
    }

    private static final String ATTRIBUTE = Actor.class.getName();

    public static Actor of(String name, HttpServletRequest request)
    {
        return new Actor(name, request.getRemoteAddr());
    }

    /**
     * Keeps the actor of an authorized write with its request.
     */
    public static void record(HttpServletRequest request, Actor actor)
    {
        request.setAttribute(ATTRIBUTE, requireNonNull(actor, "actor is null"));
    }

    /**
     * The actor of a write that the API's access filter authorized.
     */
    public static Actor of(HttpServletRequest request)
    {
        if (request.getAttribute(ATTRIBUTE) instanceof Actor actor) {
            return actor;
        }
        throw new IllegalStateException("No authorized actor for " + request.getMethod() + " " + request.getRequestURI() + ": the API's access filter did not run");
    }
}
