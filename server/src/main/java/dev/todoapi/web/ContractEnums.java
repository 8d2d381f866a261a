package dev.todoapi.web;

import java.lang.reflect.Method;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Query parameters name enum values as the contract spells them ({@code priority=high}); the generated
 * enums read those through their {@code fromValue}, not through the Java constant names.
 */
@Configuration(proxyBeanMethods = false)
class ContractEnums implements WebMvcConfigurer {

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverterFactory(new FromValue());
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class FromValue implements ConverterFactory<String, Enum> {
        @Override
        public <T extends Enum> Converter<String, T> getConverter(Class<T> type) {
            Method fromValue;
            try {
                fromValue = type.getMethod("fromValue", String.class);
            } catch (NoSuchMethodException e) {
                return source -> (T) Enum.valueOf(type, source.strip());
            }
            return source -> {
                try {
                    return (T) fromValue.invoke(null, source.strip());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalArgumentException("'" + source + "' is not a valid value", e.getCause());
                }
            };
        }
    }
}
