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
 * included, so a success could be negotiated as application/problem+json (a User body labelled as a
 * problem, for a client that sent {@code Accept: application/problem+json}), and an operation whose only
 * body is an error (a 204 DELETE) would answer 406 to a client that accepts application/json. Error media
 * types describe failures, not what an operation negotiates: every mapping keeps only its success media
 * types, so a success is application/json, and a client that accepts none of them gets 406 before the
 * operation runs. Errors are problem+json whatever the client accepts.
 */
@Configuration(proxyBeanMethods = false)
class ErrorMediaTypes {

    @Bean
    WebMvcRegistrations successMediaTypesOnly() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                // The one WebMvcRegistrations of the application: its mapping also breaks ties between routes.
                return new LiteralFirstHandlerMapping() {
                    @Override
                    protected RequestMappingInfo getMappingForMethod(Method method, Class<?> handlerType) {
                        RequestMappingInfo info = super.getMappingForMethod(method, handlerType);
                        if (info == null || info.getProducesCondition().isEmpty()) {
                            return info;
                        }
                        java.util.List<String> success = new java.util.ArrayList<>();
                        boolean problem = false;
                        for (MediaTypeExpression expression : info.getProducesCondition().getExpressions()) {
                            if (MediaType.APPLICATION_PROBLEM_JSON.equalsTypeAndSubtype(expression.getMediaType())) {
                                problem = true;
                            } else {
                                success.add(expression.toString());
                            }
                        }
                        return problem ? info.mutate().produces(success.toArray(String[]::new)).build() : info;
                    }
                };
            }
        };
    }
}
