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
package io.switchboard.gateway.security;

import com.google.inject.Binder;
import com.google.inject.Scopes;
import io.airlift.configuration.AbstractConfigurationAwareModule;

import java.lang.reflect.Constructor;

import static com.google.inject.multibindings.OptionalBinder.newOptionalBinder;
import static io.airlift.configuration.ConfigBinder.configBinder;
import static io.airlift.jaxrs.JaxrsBinder.jaxrsBinder;

public class SecurityModule
        extends AbstractConfigurationAwareModule
{
    @Override
    protected void setup(Binder binder)
    {
        configBinder(binder).bindConfig(SecurityConfig.class);
        configBinder(binder).bindConfig(OidcConfig.class);
        newOptionalBinder(binder, OidcProvider.class);
        newOptionalBinder(binder, OidcCookies.class);
        if (buildConfigObject(OidcConfig.class).getIssuer().isPresent()) {
            newOptionalBinder(binder, OidcProvider.class).setBinding().toConstructor(constructor(OidcProvider.class)).in(Scopes.SINGLETON);
            newOptionalBinder(binder, OidcCookies.class).setBinding().toConstructor(constructor(OidcCookies.class)).in(Scopes.SINGLETON);
            jaxrsBinder(binder).bind(OidcResource.class);
        }
        binder.bind(AdminAccess.class).in(Scopes.SINGLETON);
        jaxrsBinder(binder).bind(ApiAccessFilter.class);
        jaxrsBinder(binder).bind(SessionResource.class);
    }

    private static <T> Constructor<T> constructor(Class<T> type)
    {
        try {
            return type.getConstructor(OidcConfig.class);
        }
        catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
