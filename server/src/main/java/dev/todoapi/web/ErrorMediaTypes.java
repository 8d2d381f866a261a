package dev.todoapi.web;

import java.lang.reflect.Method;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.condition.MediaTypeExpression;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The generator derives each mapping's {@code produces} from every response of the operation, errors
 * included, so an operation whose only body is an error (a 204 DELETE, say) would "produce" only
 * application/problem+json and answer 406 to a client that accepts application/json. Error media types
 * describe failures, not what the operation negotiates: such mappings keep no produces condition.
 */
@Configuration(proxyBeanMethods = false)
class ErrorMediaTypes {

    @Bean
    WebMvcRegistrations problemOnlyProducesIgnored() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new RequestMappingHandlerMapping() {
                    @Override
                    protected RequestMappingInfo getMappingForMethod(Method method, Class<?> handlerType) {
                        RequestMappingInfo info = super.getMappingForMethod(method, handlerType);
                        if (info == null || info.getProducesCondition().isEmpty()) {
                            return info;
                        }
                        for (MediaTypeExpression expression : info.getProducesCondition().getExpressions()) {
                            if (!MediaType.APPLICATION_PROBLEM_JSON.equalsTypeAndSubtype(expression.getMediaType())) {
                                return info;
                            }
                        }
                        return info.mutate().produces().build();
                    }
                };
            }
        };
    }
}
