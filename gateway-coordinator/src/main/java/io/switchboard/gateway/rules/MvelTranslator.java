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

import com.google.common.collect.ImmutableList;
import io.switchboard.gateway.rules.sql.SessionNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static java.util.Objects.requireNonNull;

/**
 * Translates one condition or action of a trino-gateway or presto-gateway rule to CEL: a lexer
 * and a recursive-descent parser for the MVEL forms their documentation and tests use, and
 * nothing else. A Java {@code null} (a missing header) is an absent map key in CEL: the forms
 * that are null-safe in MVEL ({@code ==}, {@code !=}, the {@code contains} operator,
 * {@code ~=}) test presence, and those that throw in MVEL ({@code .contains(...)},
 * {@code .startsWith(...)}, ...) read the absent key, which fails the evaluation as the call
 * would. {@code &&} and {@code ||} become conditionals when their left side can fail, because
 * CEL's logical operators absorb errors and Java's do not.
 */
final class MvelTranslator
{
    private static final String STATE = "trino-gateway's 'state' map is not supported: a rule cannot see what earlier rules did. "
            + "Repeat the earlier rule's condition in this one instead (imported rules run by ascending priority and the last routing group written wins, as rules marked 'continue' do)";
    private static final String ROUTING_GROUP_KEY = "routingGroup";
    private static final Set<String> STATEMENT_KEYWORDS = Set.of("if", "else", "for", "foreach", "while", "do", "until", "def", "function", "return", "var", "with", "switch", "assert", "import");
    private static final Set<String> UNSUPPORTED_OPERATORS = Set.of("instanceof", "is", "soundslike", "strsim", "isdef", "convertable_to");
    private static final Pattern NOT_RE2 = Pattern.compile("\\\\[1-9]|\\\\k<|\\(\\?[=!>]|\\(\\?<[=!]|[*+?}]\\+|\\\\[GZzR]|\\\\p\\{(?:java|Is|In)");

    private final String ruleName;
    private final String part;
    private final String text;
    private final List<Token> tokens;
    private int next;

    MvelTranslator(String ruleName, String part, String text)
    {
        this.ruleName = requireNonNull(ruleName, "ruleName is null");
        this.part = requireNonNull(part, "part is null");
        this.text = requireNonNull(text, "text is null");
        this.tokens = tokenize();
    }

    /**
     * The condition as a CEL expression of type bool.
     */
    String condition()
    {
        Token start = peek();
        if (start.kind() == Kind.END) {
            throw refuse(start, "the condition is empty");
        }
        Value condition = parseOr(false);
        expectEnd();
        return bool(condition, start).cel();
    }

    /**
     * The routing group after this action ran, as a CEL expression of type string, given the
     * group written before it.
     */
    String actions(String group)
    {
        String result = statements(group, Kind.END);
        expectEnd();
        return result;
    }

    // actions

    private String statements(String group, Kind end)
    {
        String result = group;
        while (peek().kind() != end && peek().kind() != Kind.END) {
            result = statement(result);
            while (peekSymbol(";")) {
                next++;
            }
        }
        return result;
    }

    private String statement(String group)
    {
        Token token = next();
        if (token.is("if")) {
            expectSymbol("(");
            Token conditionStart = peek();
            Bool condition = bool(parseOr(false), conditionStart);
            expectSymbol(")");
            String then = block(group);
            String otherwise = group;
            if (peek().is("else")) {
                next++;
                otherwise = peek().is("if") ? statement(group) : block(group);
            }
            return then.equals(otherwise) ? then : "(%s ? %s : %s)".formatted(condition.cel(), then, otherwise);
        }
        if (token.is("result")) {
            expectSymbol(".");
            Token method = expectIdentifier();
            if (!method.is("put")) {
                throw refuse(method, "only result.put(\"routingGroup\", \"group\") is supported");
            }
            Token argumentsStart = peek();
            List<Value> arguments = arguments(true);
            if (arguments.size() != 2 || !(arguments.get(0) instanceof Literal(String key)) || !(arguments.get(1) instanceof Literal(String value))) {
                throw refuse(argumentsStart, "result.put takes a key and a group, both string literals");
            }
            if (!key.equals(ROUTING_GROUP_KEY)) {
                // both gateways ignore every other key
                return group;
            }
            if (!RuleCompiler.isGroupName(value)) {
                throw refuse(argumentsStart, "'%s' is not a routing group name (letters, digits, '_', '.', '-'; at most 128)".formatted(value));
            }
            return celString(value);
        }
        if (token.is("state")) {
            throw refuse(token, STATE);
        }
        throw refuse(token, "an action can only be result.put(\"routingGroup\", \"group\") or an if statement of those");
    }

    private String block(String group)
    {
        expectSymbol("{");
        String result = statements(group, Kind.CLOSE_BRACE);
        expectSymbol("}");
        return result;
    }

    // conditions: || and && have Java's short-circuit semantics

    private Value parseOr(boolean inAction)
    {
        Token start = peek();
        Value left = parseAnd(inAction);
        while (peekSymbol("||")) {
            Token operator = next();
            Bool first = bool(left, start);
            Bool second = bool(parseAnd(inAction), operator);
            left = new Bool(first.mayFail() ? "(%s ? true : %s)".formatted(first.cel(), second.cel()) : "(%s || %s)".formatted(first.cel(), second.cel()), first.mayFail() || second.mayFail());
        }
        return left;
    }

    private Value parseAnd(boolean inAction)
    {
        Token start = peek();
        Value left = parseComparison(inAction);
        while (peekSymbol("&&") || peek().is("and") || peek().is("or")) {
            Token operator = next();
            if (operator.kind() == Kind.IDENTIFIER) {
                throw refuse(operator, "MVEL's '%s' operator is not supported (its 'or' is not a boolean or): write %s".formatted(operator.text(), operator.is("and") ? "&&" : "||"));
            }
            Bool first = bool(left, start);
            Bool second = bool(parseComparison(inAction), operator);
            left = new Bool(first.mayFail() ? "(%s ? %s : false)".formatted(first.cel(), second.cel()) : "(%s && %s)".formatted(first.cel(), second.cel()), first.mayFail() || second.mayFail());
        }
        return left;
    }

    private Value parseComparison(boolean inAction)
    {
        Token start = peek();
        Value left = parseUnary(inAction);
        Token operator = peek();
        if (operator.isSymbol("==") || operator.isSymbol("!=")) {
            next++;
            Value right = parseUnary(inAction);
            Bool equal = equal(left, right, start);
            return operator.isSymbol("==") ? equal : new Bool("!" + equal.cel(), equal.mayFail());
        }
        if (operator.is("contains")) {
            next++;
            return containsOperator(left, parseUnary(inAction), start);
        }
        if (operator.isSymbol("~=")) {
            next++;
            if (!(parseUnary(inAction) instanceof Literal(String regex))) {
                throw refuse(operator, "~= takes a regular expression as a string literal");
            }
            return matches(left, regex, true, start);
        }
        if (operator.kind() == Kind.IDENTIFIER && UNSUPPORTED_OPERATORS.contains(operator.text())) {
            throw refuse(operator, "the MVEL operator '%s' is not supported".formatted(operator.text()));
        }
        return left;
    }

    private Value parseUnary(boolean inAction)
    {
        if (peekSymbol("!")) {
            Token not = next();
            Bool operand = bool(parseUnary(inAction), not);
            return new Bool("!" + operand.cel(), operand.mayFail());
        }
        return parsePostfix(inAction);
    }

    private Value parsePostfix(boolean inAction)
    {
        Value value = parsePrimary(inAction);
        while (peekSymbol(".")) {
            next++;
            Token member = expectIdentifier();
            value = peekSymbol("(") ? call(value, member, arguments(inAction)) : property(value, member);
        }
        return value;
    }

    private Value parsePrimary(boolean inAction)
    {
        Token token = next();
        return switch (token.kind()) {
            case STRING -> new Literal(token.text());
            case OPEN_PARENTHESIS -> {
                Value value = parseOr(inAction);
                expectSymbol(")");
                yield value;
            }
            case IDENTIFIER -> identifier(token);
            case NUMBER -> throw refuse(token, "numbers are not supported: compare strings");
            case END -> throw refuse(token, "the expression ends early");
            default -> throw refuse(token, "unexpected '%s'".formatted(token.text()));
        };
    }

    private Value identifier(Token token)
    {
        return switch (token.text()) {
            case "true", "false" -> new Bool(token.text(), false);
            case "null" -> new Null();
            case "request", "trinoQueryProperties", "trinoRequestUser", "java", "Optional", "FileBasedRoutingGroupSelector" -> new Reference(token.text());
            case "state" -> throw refuse(token, STATE);
            case "result" -> throw refuse(token, "'result' cannot be read (trino-gateway does not let a condition see it): rules run by ascending priority and a later rule's group replaces an earlier one's");
            case "new" -> throw refuse(token, "'new' is not supported: a rule creates no Java objects");
            default -> {
                if (STATEMENT_KEYWORDS.contains(token.text())) {
                    throw refuse(token, "'%s' is not supported in a condition".formatted(token.text()));
                }
                throw refuse(token, "unknown name '%s': a condition reads request, trinoQueryProperties and trinoRequestUser".formatted(token.text()));
            }
        };
    }

    private List<Value> arguments(boolean inAction)
    {
        expectSymbol("(");
        List<Value> arguments = new ArrayList<>();
        if (!peekSymbol(")")) {
            arguments.add(parseOr(inAction));
            while (peekSymbol(",")) {
                next++;
                arguments.add(parseOr(inAction));
            }
        }
        expectSymbol(")");
        return arguments;
    }

    // MVEL reads a property "x" of an object as its method x() or getX(); the documented forms use only method names

    private Value property(Value target, Token member)
    {
        if (target instanceof Reference(String path)) {
            String qualified = path + "." + member.text();
            if (path.equals("java") || path.startsWith("java.")) {
                return new Reference(qualified);
            }
            if (qualified.equals("FileBasedRoutingGroupSelector.RESULTS_ROUTING_GROUP_KEY")) {
                return new Literal(ROUTING_GROUP_KEY);
            }
        }
        return call(target, member, List.of());
    }

    private Value call(Value target, Token method, List<Value> arguments)
    {
        return switch (target) {
            case Reference(String path) -> callOn(path, method, arguments);
            case Text string -> callOn(string, method, arguments);
            case Collection collection -> callOn(collection, method, arguments);
            case Maybe maybe -> callOn(maybe, method, arguments);
            default -> throw refuse(method, "the method %s is not supported here".formatted(method.text()));
        };
    }

    private Value callOn(String path, Token method, List<Value> arguments)
    {
        String name = method.text();
        return switch (path) {
            case "request" -> {
                if (!name.equals("getHeader")) {
                    throw refuse(method, "request.%s is not supported: a rule reads request headers with request.getHeader(\"Name\")".formatted(name));
                }
                String header = literal(method, arguments).toLowerCase(Locale.ROOT);
                yield new Text("headers[%s]".formatted(celString(header)), Optional.of("(%s in headers)".formatted(celString(header))), false);
            }
            case "trinoQueryProperties" -> queryProperty(method, arguments);
            case "trinoRequestUser" -> requestUser(method, arguments);
            case "java.util.Optional", "Optional" -> optional(method, arguments);
            default -> throw refuse(method, "%s.%s: calls of Java classes are not supported".formatted(path, name));
        };
    }

    private Value requestUser(Token method, List<Value> arguments)
    {
        return switch (method.text()) {
            case "userExistsAndEquals" -> new Bool("(user == %s)".formatted(celString(literal(method, arguments))), false);
            case "getUser" -> maybe(method, arguments, "user");
            default -> throw refuse(method, "trinoRequestUser.%s is not supported: use userExistsAndEquals(\"user\")".formatted(method.text()));
        };
    }

    private Value optional(Token method, List<Value> arguments)
    {
        if (method.text().equals("of")) {
            return new MaybeLiteral(Optional.of(literal(method, arguments)));
        }
        if (method.text().equals("empty")) {
            noArguments(method, arguments);
            return new MaybeLiteral(Optional.empty());
        }
        throw refuse(method, "Optional.%s is not supported".formatted(method.text()));
    }

    private Value queryProperty(Token method, List<Value> arguments)
    {
        String name = method.text();
        return switch (name) {
            case "getQueryType" -> text(method, arguments, "query_type");
            case "getResourceGroupQueryType" -> text(method, arguments, "resource_group_query_type");
            case "getBody" -> text(method, arguments, "sql");
            case "getCatalogs" -> collection(method, arguments, CollectionKind.CATALOGS);
            case "getSchemas" -> collection(method, arguments, CollectionKind.SCHEMAS);
            case "getCatalogSchemas" -> collection(method, arguments, CollectionKind.CATALOG_SCHEMAS);
            case "getTables" -> collection(method, arguments, CollectionKind.TABLES);
            case "getDefaultCatalog" -> maybe(method, arguments, "catalog");
            case "getDefaultSchema" -> maybe(method, arguments, "schema");
            case "tablesContains" -> new Bool("(%s in tables)".formatted(celString(qualifiedTable(method, literal(method, arguments)))), false);
            case "isNewQuerySubmission" -> {
                noArguments(method, arguments);
                // rules only ever see new queries
                yield new Bool("true", false);
            }
            case "isQueryParsingSuccessful" -> {
                noArguments(method, arguments);
                yield new Bool("(statement_type != \"UNKNOWN\")", false);
            }
            default -> throw refuse(method, "trinoQueryProperties.%s is not supported".formatted(name));
        };
    }

    private Value callOn(Text string, Token method, List<Value> arguments)
    {
        String name = method.text();
        return switch (name) {
            case "toLowerCase" -> {
                noArguments(method, arguments);
                yield new Text(string.value(), string.present(), true);
            }
            case "equals" -> {
                if (arguments.size() == 1 && arguments.getFirst() instanceof Null) {
                    yield throwing(string, "false");
                }
                yield compare(string, literal(method, arguments), StringTest.EQUALS, false, method);
            }
            case "contains" -> compare(string, literal(method, arguments), StringTest.CONTAINS, false, method);
            case "startsWith" -> compare(string, literal(method, arguments), StringTest.STARTS_WITH, false, method);
            case "endsWith" -> compare(string, literal(method, arguments), StringTest.ENDS_WITH, false, method);
            case "equalsIgnoreCase" -> {
                String literal = literal(method, arguments);
                yield compare(new Text(string.value(), string.present(), true), literal.toLowerCase(Locale.ROOT), StringTest.EQUALS, false, method);
            }
            case "matches" -> matches(string, literal(method, arguments), false, method);
            case "isEmpty" -> {
                noArguments(method, arguments);
                yield throwing(string, "(%s == \"\")".formatted(string.value()));
            }
            default -> throw refuse(method, "the string method %s is not supported".formatted(name));
        };
    }

    private Value callOn(Collection collection, Token method, List<Value> arguments)
    {
        return switch (method.text()) {
            case "contains" -> contains(collection, literal(method, arguments), method);
            case "isEmpty" -> {
                noArguments(method, arguments);
                yield new Bool("(size(%s) == 0)".formatted(collection.kind().fact()), false);
            }
            default -> throw refuse(method, "the method %s of a set is not supported: use contains(\"name\")".formatted(method.text()));
        };
    }

    private Value callOn(Maybe maybe, Token method, List<Value> arguments)
    {
        return switch (method.text()) {
            case "isPresent" -> {
                noArguments(method, arguments);
                yield new Bool("(%s != \"\")".formatted(maybe.fact()), false);
            }
            case "isEmpty" -> {
                noArguments(method, arguments);
                yield new Bool("(%s == \"\")".formatted(maybe.fact()), false);
            }
            case "equals" -> {
                if (arguments.size() != 1 || !(arguments.getFirst() instanceof MaybeLiteral(Optional<String> value))) {
                    throw refuse(method, "an Optional never equals a string, so this is always false in trino-gateway: write .equals(java.util.Optional.of(\"name\"))");
                }
                yield new Bool("(%s == %s)".formatted(maybe.fact(), celString(value.orElse(""))), false);
            }
            default -> throw refuse(method, "the Optional method %s is not supported: use equals(java.util.Optional.of(\"name\")), isPresent() or isEmpty()".formatted(method.text()));
        };
    }

    private Bool equal(Value left, Value right, Token at)
    {
        if (right instanceof Text && !(left instanceof Text)) {
            return equal(right, left, at);
        }
        return switch (left) {
            case Text string when right instanceof Literal(String literal) -> compare(string, literal, StringTest.EQUALS, true, at);
            case Text string when right instanceof Null -> {
                if (string.lowerCase()) {
                    throw refuse(at, "compare the value with null before toLowerCase");
                }
                yield new Bool(string.present().map(present -> "!" + present).orElse("false"), false);
            }
            case Maybe _ -> throw refuse(at, "an Optional never equals a string, so == is always false in trino-gateway: write .equals(java.util.Optional.of(\"name\"))");
            case Bool first when right instanceof Bool second -> new Bool("(%s == %s)".formatted(first.cel(), second.cel()), first.mayFail() || second.mayFail());
            default -> throw refuse(at, "== compares a string (request.getHeader(...), getQueryType(), ...) with a string literal or null");
        };
    }

    private Bool containsOperator(Value left, Value right, Token at)
    {
        if (!(right instanceof Literal(String literal))) {
            throw refuse(at, "contains takes a string literal");
        }
        return switch (left) {
            case Text string -> compare(string, literal, StringTest.CONTAINS, true, at);
            case Collection collection -> contains(collection, literal, at);
            default -> throw refuse(at, "contains applies to a string or a set of names");
        };
    }

    private Bool contains(Collection collection, String name, Token at)
    {
        return switch (collection.kind()) {
            case CATALOGS, CATALOG_SCHEMAS -> new Bool("(%s in %s)".formatted(celString(name), collection.kind().fact()), false);
            // the schemas fact holds catalog.schema; getSchemas() the schema names
            case SCHEMAS -> new Bool("schemas.exists(s, s.endsWith(%s))".formatted(celString("." + name)), false);
            case TABLES -> throw refuse(at, "getTables() holds qualified names, not strings, so contains(\"...\") is always false in trino-gateway: write trinoQueryProperties.tablesContains(\"catalog.schema.table\")");
        };
    }

    /**
     * A string test: null-safe (an MVEL operator: a missing value does not match) or as the Java
     * method (a missing value fails the evaluation).
     */
    private Bool compare(Text string, String literal, StringTest test, boolean nullSafe, Token at)
    {
        if (string.lowerCase()) {
            // CEL's standard library cannot lower-case: match case-insensitively, which is the same for a lower-case literal
            if (!literal.equals(literal.toLowerCase(Locale.ROOT))) {
                throw refuse(at, "a lower-cased value never equals or contains '%s', which has upper-case letters".formatted(literal));
            }
            return throwing(string, "%s.matches(%s)".formatted(string.value(), celString(test.caseInsensitivePattern(quoteRegex(literal)))));
        }
        String test1 = test.cel(string.value(), celString(literal));
        if (nullSafe) {
            return new Bool(string.present().map(present -> "(%s && %s)".formatted(present, test1)).orElse(test1), false);
        }
        return throwing(string, test1);
    }

    private Bool matches(Value target, String regex, boolean operator, Token at)
    {
        if (!(target instanceof Text string)) {
            throw refuse(at, "a regular expression matches a string");
        }
        if (string.lowerCase()) {
            throw refuse(at, "toLowerCase before a regular expression is not supported: write (?i) in the expression");
        }
        try {
            Pattern.compile(regex);
        }
        catch (PatternSyntaxException e) {
            throw refuse(at, "invalid regular expression: " + e.getDescription());
        }
        if (NOT_RE2.matcher(regex).find()) {
            throw refuse(at, "the regular expression '%s' uses a Java feature RE2 lacks (back-references, look-around, atomic groups or possessive quantifiers)".formatted(regex));
        }
        // Java matches the whole string, RE2 any part
        String pattern = celString("^(?:" + regex + ")$");
        if (operator) {
            // ~= matches String.valueOf(value): a missing header is "null"
            String value = string.present().map(present -> "(%s ? %s : \"null\")".formatted(present, string.value())).orElse(string.value());
            return new Bool("%s.matches(%s)".formatted(value, pattern), false);
        }
        return throwing(string, "%s.matches(%s)".formatted(string.value(), pattern));
    }

    private static Bool throwing(Text string, String cel)
    {
        return new Bool(cel, string.present().isPresent());
    }

    private String qualifiedTable(Token at, String name)
    {
        // trino-gateway parses the name as Trino does: dots separate parts, double quotes quote one, \" escapes a quote; parts are lower-cased
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (quoted && c == '\\' && i + 1 < name.length() && name.charAt(i + 1) == '"') {
                part.append('"');
                i++;
            }
            else if (c == '"') {
                quoted = !quoted;
            }
            else if (c == '.' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            }
            else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        if (quoted || parts.size() != 3 || parts.stream().anyMatch(String::isEmpty)) {
            throw refuse(at, "tablesContains takes catalog.schema.table, not '%s'".formatted(name));
        }
        // as the SQL facts write it
        return SessionNames.render(parts.stream().map(value -> value.toLowerCase(Locale.ROOT)).toList());
    }

    private Text text(Token method, List<Value> arguments, String fact)
    {
        noArguments(method, arguments);
        return new Text(fact, Optional.empty(), false);
    }

    private Collection collection(Token method, List<Value> arguments, CollectionKind kind)
    {
        noArguments(method, arguments);
        return new Collection(kind);
    }

    private Maybe maybe(Token method, List<Value> arguments, String fact)
    {
        noArguments(method, arguments);
        return new Maybe(fact);
    }

    private String literal(Token method, List<Value> arguments)
    {
        if (arguments.size() != 1 || !(arguments.getFirst() instanceof Literal(String value))) {
            throw refuse(method, "%s takes one string literal".formatted(method.text()));
        }
        return value;
    }

    private void noArguments(Token method, List<Value> arguments)
    {
        if (!arguments.isEmpty()) {
            throw refuse(method, "%s takes no arguments".formatted(method.text()));
        }
    }

    private Bool bool(Value value, Token at)
    {
        if (value instanceof Bool bool) {
            return bool;
        }
        throw refuse(at, "this is not true or false: a condition compares a value (==, !=, contains, ~=) or calls a test such as contains(...)");
    }

    private static String quoteRegex(String literal)
    {
        StringBuilder quoted = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("\\.[]{}()*+?^$|-".indexOf(c) >= 0) {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.toString();
    }

    static String celString(String value)
    {
        StringBuilder cel = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> cel.append("\\\\");
                case '"' -> cel.append("\\\"");
                case '\n' -> cel.append("\\n");
                case '\r' -> cel.append("\\r");
                case '\t' -> cel.append("\\t");
                default -> {
                    if (c < 0x20) {
                        cel.append("\\u%04x".formatted((int) c));
                    }
                    else {
                        cel.append(c);
                    }
                }
            }
        }
        return cel.append('"').toString();
    }

    // tokens

    private Token peek()
    {
        return tokens.get(next);
    }

    private boolean peekSymbol(String symbol)
    {
        return peek().isSymbol(symbol);
    }

    private Token next()
    {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private void expectSymbol(String symbol)
    {
        Token token = next();
        if (!token.isSymbol(symbol)) {
            throw refuse(token, token.kind() == Kind.END ? "'%s' expected at the end".formatted(symbol) : "'%s' expected, not '%s'".formatted(symbol, token.text()));
        }
    }

    private Token expectIdentifier()
    {
        Token token = next();
        if (token.kind() != Kind.IDENTIFIER) {
            throw refuse(token, "a name expected after '.'");
        }
        return token;
    }

    private void expectEnd()
    {
        Token token = peek();
        if (token.kind() != Kind.END) {
            throw refuse(token, "unexpected '%s'".formatted(token.text()));
        }
    }

    private InvalidRuleException refuse(Token at, String message)
    {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at.position(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String excerpt = text.substring(at.position(), Math.min(text.length(), at.position() + 60)).strip();
        return new InvalidRuleException(ruleName, "%s (%s, line %s, column %s: %s)".formatted(
                message, part, line, at.position() - lineStart + 1, excerpt.isEmpty() ? "at the end" : "'" + excerpt + "'"));
    }

    private List<Token> tokenize()
    {
        ImmutableList.Builder<Token> result = ImmutableList.builder();
        int position = 0;
        while (position < text.length()) {
            char c = text.charAt(position);
            if (Character.isWhitespace(c)) {
                position++;
            }
            else if (Character.isJavaIdentifierStart(c)) {
                int end = position + 1;
                while (end < text.length() && Character.isJavaIdentifierPart(text.charAt(end))) {
                    end++;
                }
                result.add(new Token(Kind.IDENTIFIER, text.substring(position, end), position));
                position = end;
            }
            else if (Character.isDigit(c)) {
                int end = position + 1;
                while (end < text.length() && Character.isLetterOrDigit(text.charAt(end))) {
                    end++;
                }
                result.add(new Token(Kind.NUMBER, text.substring(position, end), position));
                position = end;
            }
            else if (c == '"' || c == '\'') {
                position = string(result, position, c);
            }
            else {
                String two = text.substring(position, Math.min(text.length(), position + 2));
                String symbol = Set.of("&&", "||", "==", "!=", "~=").contains(two) ? two : String.valueOf(c);
                result.add(new Token(Kind.of(symbol), symbol, position));
                position += symbol.length();
            }
        }
        result.add(new Token(Kind.END, "", text.length()));
        return result.build();
    }

    private int string(ImmutableList.Builder<Token> result, int start, char quote)
    {
        StringBuilder value = new StringBuilder();
        int position = start + 1;
        while (position < text.length() && text.charAt(position) != quote) {
            char c = text.charAt(position);
            if (c == '\\' && position + 1 < text.length()) {
                position++;
                char escaped = text.charAt(position);
                value.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '\\', '"', '\'' -> escaped;
                    default -> throw refuse(new Token(Kind.STRING, "", position - 1), "the escape \\%s is not supported".formatted(escaped));
                });
            }
            else {
                value.append(c);
            }
            position++;
        }
        if (position >= text.length()) {
            throw refuse(new Token(Kind.STRING, "", start), "the string does not end");
        }
        result.add(new Token(Kind.STRING, value.toString(), start));
        return position + 1;
    }

    private enum Kind
    {
        IDENTIFIER, STRING, NUMBER, OPEN_PARENTHESIS, CLOSE_BRACE, SYMBOL, END;

        static Kind of(String symbol)
        {
            return switch (symbol) {
                case "(" -> OPEN_PARENTHESIS;
                case "}" -> CLOSE_BRACE;
                default -> SYMBOL;
            };
        }
    }

    private record Token(Kind kind, String text, int position)
    {
        boolean is(String identifier)
        {
            return kind == Kind.IDENTIFIER && text.equals(identifier);
        }

        boolean isSymbol(String symbol)
        {
            return kind != Kind.IDENTIFIER && kind != Kind.STRING && kind != Kind.END && text.equals(symbol);
        }
    }

    private enum StringTest
    {
        EQUALS, CONTAINS, STARTS_WITH, ENDS_WITH;

        String cel(String value, String literal)
        {
            return switch (this) {
                case EQUALS -> "(%s == %s)".formatted(value, literal);
                case CONTAINS -> "%s.contains(%s)".formatted(value, literal);
                case STARTS_WITH -> "%s.startsWith(%s)".formatted(value, literal);
                case ENDS_WITH -> "%s.endsWith(%s)".formatted(value, literal);
            };
        }

        String caseInsensitivePattern(String quoted)
        {
            return switch (this) {
                case EQUALS -> "^(?i:" + quoted + ")$";
                case CONTAINS -> "(?i:" + quoted + ")";
                case STARTS_WITH -> "^(?i:" + quoted + ")";
                case ENDS_WITH -> "(?i:" + quoted + ")$";
            };
        }
    }

    private enum CollectionKind
    {
        CATALOGS("catalogs"), SCHEMAS("schemas"), CATALOG_SCHEMAS("schemas"), TABLES("tables");

        private final String fact;

        CollectionKind(String fact)
        {
            this.fact = fact;
        }

        String fact()
        {
            return fact;
        }
    }

    private sealed interface Value
            permits Bool, Text, Literal, Null, Reference, Collection, Maybe, MaybeLiteral {}

    /**
     * @param mayFail whether evaluating it can fail where MVEL would throw
     */
    private record Bool(String cel, boolean mayFail)
            implements Value {}

    /**
     * A string: {@code value} reads it (failing when absent), {@code present} tests whether it
     * is there (none: always).
     */
    private record Text(String value, Optional<String> present, boolean lowerCase)
            implements Value {}

    private record Literal(String value)
            implements Value {}

    private record Null()
            implements Value {}

    private record Reference(String path)
            implements Value {}

    private record Collection(CollectionKind kind)
            implements Value {}

    /**
     * An {@code Optional<String>} of trino-gateway: a text fact, empty when absent.
     */
    private record Maybe(String fact)
            implements Value {}

    private record MaybeLiteral(Optional<String> value)
            implements Value {}
}
