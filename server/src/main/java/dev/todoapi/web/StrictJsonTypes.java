package dev.todoapi.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MapperBuilder;
import java.time.temporal.Temporal;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.type.CollectionType;

/**
 * Every JSON value must have its field's contract type: Jackson's scalar coercions ({@code 42} or
 * {@code true} read as the string "42", {@code "true"} or {@code 1} as a boolean, a number as a date-time)
 * fail instead, and the failure becomes {@code 422 VALIDATION_FAILED} with an {@code INVALID_TYPE} error
 * naming the field. Applies to every mapper Spring builds, so to every body of every operation.
 */
@Configuration(proxyBeanMethods = false)
public class StrictJsonTypes {

    private static final CoercionInputShape[] SCALARS = {
        CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean, CoercionInputShape.String
    };

    @Bean
    JsonMapperBuilderCustomizer strictJsonTypesCustomizer() {
        return StrictJsonTypes::apply;
    }

    /** Also for mappers built outside Spring (tests, tools). */
    public static <B extends MapperBuilder<?, ?>> B apply(B builder) {
        builder.withCoercionConfigDefaults(config -> {
            for (CoercionInputShape shape : SCALARS) {
                config.setCoercion(shape, CoercionAction.Fail);
            }
        });
        SimpleModule dateTimes = new SimpleModule("strict-date-times");
        dateTimes.setDeserializerModifier(new ValueDeserializerModifier() {
            @Override
            public ValueDeserializer<?> modifyDeserializer(
                    DeserializationConfig config, BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
                return Temporal.class.isAssignableFrom(description.getBeanClass())
                        ? new TextOnly(deserializer) : deserializer;
            }

            @Override
            public ValueDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
                    BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
                return type.getContentType().getRawClass() == String.class ? new StringElements(deserializer) : deserializer;
            }
        });
        builder.addModule(dateTimes);
        return builder;
    }

    /**
     * Jackson's collection-of-strings reader loses its place on a nested array ({@code "tags": [["a"]]} is
     * reported as a broken document, with no path); elements are checked first, so a non-string element
     * is an INVALID_TYPE error at {@code tags[0]}.
     */
    static final class StringElements extends DelegatingDeserializer {

        StringElements(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new StringElements(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.START_ARRAY)) {
                return super.deserialize(parser, context);
            }
            JsonNode array = context.readTree(parser);
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (!element.isString() && !element.isNull()) {
                    throw MismatchedInputException.from(parser, String.class, "Element " + i + " is not a string")
                            .prependPath(array, i);
                }
            }
            try (JsonParser elements = array.traverse(context)) {
                elements.nextToken();
                return _delegatee.deserialize(elements, context);
            }
        }
    }

    /**
     * java.time's deserializers read a number as epoch seconds ({@code "due_date": 1700000000} became a 2023
     * date) and consult no coercion setting; the contract's date-times are RFC 3339 strings only.
     */
    static final class TextOnly extends DelegatingDeserializer {

        TextOnly(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new TextOnly(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return context.handleUnexpectedToken(_delegatee.handledType(), parser);
            }
            return super.deserialize(parser, context);
        }
    }
}
