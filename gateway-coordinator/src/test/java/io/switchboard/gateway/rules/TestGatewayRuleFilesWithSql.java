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
package io.switchboard.gateway.rules;

import com.google.common.io.Resources;
import io.airlift.json.ObjectMapperProvider;
import io.switchboard.gateway.rules.RuleDocuments.Dialect;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static io.switchboard.gateway.rules.TestGatewayRuleFiles.route;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * trino-gateway's own test of its trinoQueryProperties rules, with the results it asserts: needs
 * the SQL facts of Trino's parser.
 */
final class TestGatewayRuleFilesWithSql
{
    private final RuleDocuments documents = new RuleDocuments(new ObjectMapperProvider().get());
    private final RuleCompiler compiler = new RuleCompiler();

    @Test
    void testQueryProperties()
            throws IOException
    {
        String yaml = Resources.toString(Resources.getResource(getClass(), "trino-gateway-query-properties.yaml"), UTF_8);
        CompiledRuleSet rules = compiler.compile(documents.fromYaml(yaml, Dialect.TRINO_GATEWAY));
        assertThat(route(rules, Map.of("X-Trino-User", "will"), "SELECT 1")).isEqualTo("will-group");
        assertThat(route(rules, Map.of(), "INSERT INTO foo SELECT 1")).isEqualTo("type-group");
        assertThat(route(rules, Map.of(), "SELECT * FROM ")).isEqualTo("no-match");
        assertThat(route(rules, Map.of("X-Trino-Catalog", "catx", "X-Trino-Schema", "default"), "SELECT x.a, y.b FROM catx.nondefault.tblx x, caty.default.tbly y"))
                .isEqualTo("catalog-schema-group");
        assertThat(route(rules, Map.of("X-Trino-Catalog", "other_catalog", "X-Trino-Schema", "other_schema"), "")).isEqualTo("defaults-group");
        assertThat(route(rules, Map.of("X-Trino-Catalog", "cat_default", "X-Trino-Schema", "schem_\"default"),
                "SELECT * FROM tblz, schemy.tbly, catx.schemx.tblx")).isEqualTo("tbl-group");
        assertThat(route(rules, Map.of(), "SELECT * FROM system.runtime.nodes")).isEqualTo("system");
    }
}
