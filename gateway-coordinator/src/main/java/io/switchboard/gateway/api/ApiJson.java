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
package io.switchboard.gateway.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.google.inject.Inject;

import java.util.stream.Collectors;

import static io.switchboard.gateway.api.GatewayException.Reason.INVALID_REQUEST;
import static java.util.Objects.requireNonNull;

/**
 * Reads the JSON bodies of the gateway's API strictly: an unknown field, a duplicate key, a number
 * where text is expected (or the reverse), a fraction where an integer is expected and anything
 * after the value are refused with a 400 that names the field, never a server error.
 */
public class ApiJson
{
    private final ObjectMapper mapper;

    @Inject
    public ApiJson(ObjectMapper mapper)
    {
        ObjectMapper strict = requireNonNull(mapper, "mapper is null").copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        strict.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        strict.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        this.mapper = strict;
    }

    /**
     * @param shape the expected body, quoted in the error when the body is missing or malformed
     */
    public <T> T read(String body, Class<T> type, String shape)
    {
        if (body == null || body.isBlank()) {
            throw new GatewayException(INVALID_REQUEST, "A JSON body is required: " + shape);
        }
        try {
            return mapper.readValue(body, type);
        }
        catch (JsonProcessingException e) {
            throw new GatewayException(INVALID_REQUEST, "Invalid JSON body (" + describe(e) + "); expected " + shape);
        }
    }

    /**
     * Reads a JSON object of which the caller looks at single fields.
     */
    public JsonNode readObject(String body, String shape)
    {
        JsonNode json = read(body, JsonNode.class, shape);
        if (!json.isObject()) {
            throw new GatewayException(INVALID_REQUEST, "Invalid JSON body (not an object); expected " + shape);
        }
        return json;
    }

    /**
     * What is wrong with a body, in the API's terms: no class names of ours or Jackson's.
     */
    static String describe(JsonProcessingException failure)
    {
        String location = failure.getLocation() == null ? "" : " at line " + failure.getLocation().getLineNr() + ", column " + failure.getLocation().getColumnNr();
        return switch (failure) {
            case UnrecognizedPropertyException unknown -> "unknown field '" + unknown.getPropertyName() + "'; known fields: " +
                    unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
            case MismatchedInputException mismatch when !mismatch.getPath().isEmpty() -> "field '" + field(mismatch) + "' must be " + expected(mismatch.getTargetType());
            case MismatchedInputException trailing when String.valueOf(trailing.getOriginalMessage()).startsWith("Trailing token") -> "content after the JSON value" + location;
            case MismatchedInputException _ -> "not a JSON object" + location;
            case StreamConstraintsException _ -> "too deeply nested or too large";
            case JsonParseException parse -> "malformed JSON" + location + ": " + firstSentence(parse.getOriginalMessage());
            case JsonMappingException mapping -> "cannot be read" + location + ": " + firstSentence(mapping.getOriginalMessage());
            default -> "malformed JSON" + location;
        };
    }

    private static String field(MismatchedInputException mismatch)
    {
        return mismatch.getPath().stream()
                .map(reference -> reference.getFieldName() == null ? "[" + reference.getIndex() + "]" : reference.getFieldName())
                .collect(Collectors.joining("."));
    }

    private static String expected(Class<?> type)
    {
        if (type == null) {
            return "of another type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        return "of another type";
    }

    private static String firstSentence(String message)
    {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse("");
        // Jackson appends the accepted alternatives and a source excerpt; the first clause is what a user needs
        int end = line.indexOf(": was expecting");
        String sentence = end < 0 ? line : line.substring(0, end);
        return sentence.length() > 200 ? sentence.substring(0, 200) + "..." : sentence;
    }
}
