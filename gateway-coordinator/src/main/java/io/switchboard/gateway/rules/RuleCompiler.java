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

import com.google.inject.Inject;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelVarDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.switchboard.gateway.rules.RoutingRule.ConditionLanguage;
import io.switchboard.gateway.rules.RuleFacts.Fact;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static com.google.common.collect.ImmutableSet.toImmutableSet;

/**
 * Type-checks rule conditions against the facts of {@link RuleFacts} and compiles them to CEL
 * programs. CEL reaches no Java class, file or network; loops are bounded by
 * {@link #MAX_ITERATIONS}, regular expressions are RE2 (linear time) and bounded in size.
 */
public class RuleCompiler
{
    static final int MAX_ITERATIONS = 1_000;
    private static final int MAX_CONDITION_LENGTH = 4_096;
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern STRING_LITERAL = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'|\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Cel cel;
    private final Cel groupCel;
    private final Map<String, CompiledRule.Counters> counters = new ConcurrentHashMap<>();

    @Inject
    public RuleCompiler()
    {
        this.cel = cel(SimpleType.BOOL);
        this.groupCel = cel(SimpleType.STRING);
    }

    private static Cel cel(CelType resultType)
    {
        return CelFactory.standardCelBuilder()
                .setOptions(CelOptions.current()
                        .comprehensionMaxIterations(MAX_ITERATIONS)
                        .maxExpressionCodePointSize(MAX_CONDITION_LENGTH)
                        .maxParseRecursionDepth(64)
                        .maxRegexProgramSize(1_000)
                        .build())
                .addVarDeclarations(Arrays.stream(Fact.values())
                        .map(fact -> CelVarDecl.newVarDeclaration(fact.variable(), fact.type()))
                        .collect(toImmutableList()))
                // has, all, exists, exists_one, map, filter: comprehensions bounded by MAX_ITERATIONS
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setResultType(resultType)
                .build();
    }

    /**
     * Compiles every rule, or throws for the first one that is invalid; a rule set's rule names
     * are unique.
     */
    public CompiledRuleSet compile(RuleSet ruleSet)
    {
        Set<String> names = new HashSet<>();
        for (RoutingRule rule : ruleSet.rules()) {
            if (!names.add(rule.name())) {
                throw new InvalidRuleException(rule.name(), "another rule has the same name");
            }
        }
        ruleSet.groups().forEach((group, policy) -> {
            checkGroupName("group", group);
            policy.fallback().ifPresent(fallback -> checkGroupName("fallback of group " + group, fallback));
        });
        return new CompiledRuleSet(ruleSet, ruleSet.rules().stream().map(this::compile).collect(toImmutableList()));
    }

    public CompiledRule compile(RoutingRule rule)
    {
        if (rule.name().isBlank() || rule.name().length() > 128) {
            throw new InvalidRuleException(rule.name(), "a rule's name is 1 to 128 characters");
        }
        String condition;
        Optional<String> routingGroup = Optional.empty();
        Optional<CelRuntime.Program> routingGroupProgram = Optional.empty();
        if (rule.language() == ConditionLanguage.MVEL) {
            if (rule.routingGroup().isPresent()) {
                throw new InvalidRuleException(rule.name(), "an imported rule's actions choose its group (result.put(\"routingGroup\", ...)); it has no routingGroup");
            }
            MvelRule translated = MvelRule.translate(rule);
            condition = translated.celCondition();
            if (!translated.celRoutingGroup().isEmpty()) {
                routingGroupProgram = Optional.of(program(rule.name(), check(groupCel, rule.name(), translated.celRoutingGroup())));
            }
        }
        else {
            if (!rule.actions().isEmpty()) {
                throw new InvalidRuleException(rule.name(), "actions are MVEL statements of an imported rule; a CEL rule sets routingGroup, addClientTags, setSessionProperties, queuePriority or admissionClass");
            }
            condition = rule.condition();
            routingGroup = rule.routingGroup();
        }
        routingGroup.ifPresent(group -> checkGroupName(rule.name(), group));
        rule.admissionClass().ifPresent(admissionClass -> {
            // a name admission.class-max-running can list: name:limit,name:limit
            if (!isGroupName(admissionClass)) {
                throw new InvalidRuleException(rule.name(), "'%s' is not an admission class name (letters, digits, '_', '.', '-'; at most 128)".formatted(admissionClass));
            }
        });
        CelAbstractSyntaxTree ast = check(cel, rule.name(), condition);
        Set<Fact> facts = ast.getReferenceMap().values().stream()
                .map(reference -> Fact.of(reference.name()))
                .flatMap(Optional::stream)
                .collect(toImmutableSet());
        CelRuntime.Program program = program(rule.name(), ast);
        failsOnEveryQuery(program, condition).ifPresent(failure -> {
            throw new InvalidRuleException(rule.name(), "the condition fails even on a query with every fact present: " + failure);
        });
        return new CompiledRule(rule, condition, routingGroup, routingGroupProgram, program, RuleGuard.of(ast.getExpr()), facts, counters.computeIfAbsent(rule.name(), _ -> new CompiledRule.Counters()));
    }

    private CelAbstractSyntaxTree check(Cel cel, String ruleName, String condition)
    {
        if (condition.isBlank()) {
            throw new InvalidRuleException(ruleName, "the condition is empty");
        }
        try {
            return cel.compile(condition).getAst();
        }
        catch (CelValidationException e) {
            CelIssue issue = e.getErrors().getFirst();
            throw new InvalidRuleException(ruleName, "at line %s, column %s: %s".formatted(
                    issue.getSourceLocation().getLine(),
                    issue.getSourceLocation().getColumn() + 1,
                    issue.getMessage()));
        }
    }

    private CelRuntime.Program program(String ruleName, CelAbstractSyntaxTree ast)
    {
        // creating the program of a checked AST is the same for both environments
        try {
            return cel.createProgram(ast);
        }
        catch (CelEvaluationException e) {
            throw new InvalidRuleException(ruleName, e.getMessage());
        }
    }

    /**
     * Evaluates the condition on two queries whose text facts are all empty, or all "0", whose
     * lists are empty and whose headers and session properties include every name the condition
     * mentions: a rule that fails on both (division by zero, a conversion of a constant, an
     * invalid pattern) fails everywhere. One that converts a header ({@code int(headers['x'])})
     * passes on the second.
     */
    private static Optional<String> failsOnEveryQuery(CelRuntime.Program program, String condition)
    {
        List<String> mentioned = new ArrayList<>();
        Matcher literal = STRING_LITERAL.matcher(condition);
        while (literal.find()) {
            String text = literal.group(1) != null ? literal.group(1) : literal.group(2);
            mentioned.add(text);
            mentioned.add(text.toLowerCase(Locale.ROOT));
        }
        Optional<String> failure = Optional.empty();
        for (String text : List.of("", "0")) {
            Map<String, String> names = mentioned.stream().distinct().collect(toImmutableMap(name -> name, _ -> text));
            try {
                program.eval(name -> Fact.of(name).map(fact -> sampleValue(fact, names, text)));
                return Optional.empty();
            }
            catch (CelEvaluationException e) {
                failure = failure.or(() -> Optional.of(e.getMessage()));
            }
        }
        return failure;
    }

    private static Object sampleValue(Fact fact, Map<String, String> names, String text)
    {
        return switch (fact) {
            case HEADERS, SESSION -> names;
            case NOW -> Instant.EPOCH;
            case CLIENT_TAGS, TABLES_READ, TABLES_WRITTEN, TABLES, CATALOGS, SCHEMAS -> List.of();
            default -> text;
        };
    }

    static boolean isGroupName(String group)
    {
        return GROUP_NAME.matcher(group).matches();
    }

    private static void checkGroupName(String ruleName, String group)
    {
        if (!isGroupName(group)) {
            throw new InvalidRuleException(ruleName, "'%s' is not a routing group name (letters, digits, '_', '.', '-'; at most 128)".formatted(group));
        }
    }
}
