package dev.todoapi.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.catalina.Container;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * Requests Tomcat refuses before the application sees them (an encoded slash, backslash or NUL in the
 * path, a malformed request line) get problem+json too, instead of Tomcat's HTML error page.
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrorPages {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
        return factory -> factory.addContextCustomizers(context -> {
            Container host = context.getParent();
            if (host instanceof StandardHost standardHost) {
                standardHost.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /** Tomcat's last-resort error page, as a problem document. */
    public static class ProblemErrorReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            ErrorCode code = ErrorCode.forStatus(status);
            String requestId = response.getHeader(RequestIdFilter.HEADER);
            if (requestId == null) {
                requestId = UUID.randomUUID().toString();
                response.setHeader(RequestIdFilter.HEADER, requestId);
            }
            String title = HttpStatus.resolve(status) == null ? code.title() : HttpStatus.resolve(status).getReasonPhrase();
            String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                    + ",\"code\":\"" + code.name() + "\",\"detail\":\"The server refused this request before reading it: a malformed request line or"
                    + " header (for example a control character in a header value, or an encoded '/', '\\\\' or NUL in the"
                    + " path).\",\"request_id\":\"" + requestId + "\"}";
            try {
                response.setContentType("application/problem+json");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(body);
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException ignored) {
                // the client is gone; nothing else to do
            }
        }
    }
}
