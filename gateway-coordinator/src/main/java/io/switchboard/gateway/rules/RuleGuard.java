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

/**
 * A test in plain Java that a condition needs to hold before it can be true, read from its syntax
 * tree: {@code source == 'airflow' && ...} cannot hold for a query from another source. Routing
 * skips a rule whose guard fails without running its CEL program, which costs far more (about
 * 300 ns and 1 KB per rule); most rules of a large rule set fail their guard for any one query.
 * The dry run evaluates every rule in full.
 */
final class RuleGuard
{
    private static final Predicate<RuleFacts> NONE = _ -> true;

    private RuleGuard() {}

    static Predicate<RuleFacts> of(CelExpr condition)
    {
        return guard(condition).orElse(NONE);
    }

    private static Optional<Predicate<RuleFacts>> guard(CelExpr expression)
    {
        if (expression.getKind() != Kind.CALL) {
            return Optional.empty();
        }
        CelExpr.CelCall call = expression.call();
        List<CelExpr> args = call.args();
        return switch (call.function()) {
            case "_&&_" -> {
                // false if any side is false, whatever the other side does
                List<Predicate<RuleFacts>> guards = args.stream().map(RuleGuard::guard).flatMap(Optional::stream).toList();
                yield guards.isEmpty() ? Optional.empty() : Optional.of(allOf(guards));
            }
            case "_||_" -> {
                List<Optional<Predicate<RuleFacts>>> guards = args.stream().map(RuleGuard::guard).toList();
                yield guards.stream().anyMatch(Optional::isEmpty)
                        ? Optional.empty()
                        : Optional.of(anyOf(guards.stream().map(Optional::orElseThrow).toList()));
            }
            case "_==_" -> args.size() == 2 ? equality(args.get(0), args.get(1)).or(() -> equality(args.get(1), args.get(0))) : Optional.empty();
            case "@in" -> args.size() == 2 ? membership(args.get(0), args.get(1)) : Optional.empty();
            case "startsWith" -> call.target().isPresent() && args.size() == 1 ? prefix(call.target().get(), args.getFirst()) : Optional.empty();
            default -> Optional.empty();
        };
    }

    // composed once, at compile time: a guard runs for every rule of every new query, without allocating
    private static Predicate<RuleFacts> allOf(List<Predicate<RuleFacts>> guards)
    {
        return guards.size() == 1 ? guards.getFirst() : guards.stream().reduce(Predicate::and).orElseThrow();
    }

    private static Predicate<RuleFacts> anyOf(List<Predicate<RuleFacts>> guards)
    {
        return guards.size() == 1 ? guards.getFirst() : guards.stream().reduce(Predicate::or).orElseThrow();
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
