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

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.ExprKind.Kind;
import dev.cel.common.types.SimpleType;
import io.switchboard.gateway.rules.RuleFacts.Fact;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static java.util.Objects.requireNonNull;

/**
 * A test in plain Java that a condition needs to hold before it can be true, read from its syntax
 * tree: {@code source == 'airflow' && ...} cannot hold for a query from another source. Routing
 * skips a rule whose guard fails without running its CEL program, which costs far more (about
 * 300 ns and 1 KB per rule); most rules of a large rule set fail their guard for any one query.
 * The dry run evaluates every rule in full.
 *
 * <p>A guard made only of such tests joined by {@code &&} and {@code ||} is the whole condition
 * ({@code decides}): it matches exactly when the condition is true, so routing does not run CEL
 * for that rule at all.
 *
 * @param test false only for queries the condition cannot match
 * @param decides whether {@code test} is the condition itself
 */
public record RuleGuard(Predicate<RuleFacts> test, boolean decides)
{
    private static final RuleGuard NONE = new RuleGuard(_ -> true, false);

    public RuleGuard
    {
        requireNonNull(test, "test is null");
    }

    static RuleGuard of(CelExpr condition)
    {
        return guard(condition).orElse(NONE);
    }

    private static Optional<RuleGuard> guard(CelExpr expression)
    {
        if (expression.getKind() != Kind.CALL) {
            return Optional.empty();
        }
        CelExpr.CelCall call = expression.call();
        List<CelExpr> args = call.args();
        return switch (call.function()) {
            case "_&&_" -> {
                // false if any side is false, whatever the other side does
                List<Optional<RuleGuard>> guards = args.stream().map(RuleGuard::guard).toList();
                List<RuleGuard> present = guards.stream().flatMap(Optional::stream).toList();
                yield present.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new RuleGuard(allOf(present), present.size() == guards.size() && present.stream().allMatch(RuleGuard::decides)));
            }
            case "_||_" -> {
                List<Optional<RuleGuard>> guards = args.stream().map(RuleGuard::guard).toList();
                if (guards.stream().anyMatch(Optional::isEmpty)) {
                    yield Optional.empty();
                }
                List<RuleGuard> present = guards.stream().map(Optional::orElseThrow).toList();
                yield Optional.of(new RuleGuard(anyOf(present), present.stream().allMatch(RuleGuard::decides)));
            }
            case "_==_" -> args.size() == 2 ? equality(args.get(0), args.get(1)).or(() -> equality(args.get(1), args.get(0))).map(RuleGuard::deciding) : Optional.empty();
            case "@in" -> args.size() == 2 ? membership(args.get(0), args.get(1)).map(RuleGuard::deciding) : Optional.empty();
            case "startsWith" -> call.target().isPresent() && args.size() == 1 ? prefix(call.target().get(), args.getFirst()).map(RuleGuard::deciding) : Optional.empty();
            default -> Optional.empty();
        };
    }

    // each test below is true exactly when its CEL expression is (a missing map key, an error in CEL, is false here and no match there)
    private static RuleGuard deciding(Predicate<RuleFacts> test)
    {
        return new RuleGuard(test, true);
    }

    // composed once, at compile time: a guard runs for every rule of every new query, without allocating
    private static Predicate<RuleFacts> allOf(List<RuleGuard> guards)
    {
        return guards.stream().map(RuleGuard::test).reduce(Predicate::and).orElseThrow();
    }

    private static Predicate<RuleFacts> anyOf(List<RuleGuard> guards)
    {
        return guards.stream().map(RuleGuard::test).reduce(Predicate::or).orElseThrow();
    }

    private static Optional<Predicate<RuleFacts>> equality(CelExpr value, CelExpr literal)
    {
        Optional<String> text = string(literal);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<Fact> fact = textFact(value);
        if (fact.isPresent()) {
            return Optional.of(facts -> text.get().equals(facts.value(fact.get())));
        }
        // headers['name'] == 'value', session['name'] == 'value'
        if (value.getKind() == Kind.CALL && value.call().function().equals("_[_]") && value.call().args().size() == 2) {
            Optional<Fact> map = mapFact(value.call().args().get(0));
            Optional<String> key = string(value.call().args().get(1));
            if (map.isPresent() && key.isPresent()) {
                return Optional.of(facts -> text.get().equals(((Map<?, ?>) facts.value(map.get())).get(key.get())));
            }
        }
        return Optional.empty();
    }

    private static Optional<Predicate<RuleFacts>> membership(CelExpr element, CelExpr collection)
    {
        // source in ['tableau', 'looker']
        Optional<Fact> elementFact = textFact(element);
        if (elementFact.isPresent() && collection.getKind() == Kind.LIST) {
            List<Optional<String>> values = collection.list().elements().stream().map(RuleGuard::string).toList();
            if (values.stream().allMatch(Optional::isPresent)) {
                Set<String> allowed = values.stream().map(Optional::orElseThrow).collect(toImmutableSet());
                return Optional.of(facts -> allowed.contains((String) facts.value(elementFact.get())));
            }
            return Optional.empty();
        }
        Optional<String> text = string(element);
        if (text.isEmpty() || collection.getKind() != Kind.IDENT) {
            return Optional.empty();
        }
        Optional<Fact> fact = Fact.of(collection.ident().name());
        if (fact.isEmpty()) {
            return Optional.empty();
        }
        return switch (fact.get()) {
            case HEADERS, SESSION -> Optional.of(facts -> ((Map<?, ?>) facts.value(fact.get())).containsKey(text.get()));
            case CLIENT_TAGS, TABLES_READ, TABLES_WRITTEN, TABLES, CATALOGS, SCHEMAS -> Optional.of(facts -> ((List<?>) facts.value(fact.get())).contains(text.get()));
            default -> Optional.empty();
        };
    }

    private static Optional<Predicate<RuleFacts>> prefix(CelExpr value, CelExpr literal)
    {
        Optional<String> text = string(literal);
        Optional<Fact> fact = textFact(value);
        if (text.isEmpty() || fact.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(facts -> ((String) facts.value(fact.get())).startsWith(text.get()));
    }

    private static Optional<Fact> textFact(CelExpr expression)
    {
        if (expression.getKind() != Kind.IDENT) {
            return Optional.empty();
        }
        return Fact.of(expression.ident().name()).filter(fact -> fact.type().equals(SimpleType.STRING));
    }

    private static Optional<Fact> mapFact(CelExpr expression)
    {
        if (expression.getKind() != Kind.IDENT) {
            return Optional.empty();
        }
        return Fact.of(expression.ident().name()).filter(fact -> fact == Fact.HEADERS || fact == Fact.SESSION);
    }

    private static Optional<String> string(CelExpr expression)
    {
        if (expression.getKind() != Kind.CONSTANT || expression.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
            return Optional.empty();
        }
        return Optional.of(expression.constant().stringValue());
    }
}
