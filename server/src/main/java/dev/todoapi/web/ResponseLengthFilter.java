package dev.todoapi.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets Tomcat send a whole response with a {@code Content-Length} instead of chunks. Spring MVC flushes the
 * response as soon as a message converter has written the body, which commits it before its length is known: every
 * JSON answer went out chunked, in two writes to the socket (the body, then the last chunk). Without those early
 * flushes Tomcat, at the end of the request, finds the body whole in its buffer (8 KiB) and sends it with its length
 * in one write; a larger body still goes out in chunks as the buffer fills. An event stream (an async request, or
 * {@code text/event-stream}) is flushed as before: its events must leave at once.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class ResponseLengthFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new Unflushed(request, response));
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return true;
    }

    private static final class Unflushed extends HttpServletResponseWrapper {
        private final HttpServletRequest request;
        private ServletOutputStream stream;
        private PrintWriter writer;

        Unflushed(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        /** Whether flushes must go through: a stream of events (or anything async) is written as it happens. */
        boolean streaming() {
            if (request.isAsyncStarted()) {
                return true;
            }
            String type = getContentType();
            return type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
        }

        @Override
        public void flushBuffer() throws IOException {
            if (streaming()) {
                super.flushBuffer();
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                ServletOutputStream delegate = super.getOutputStream();
                stream = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        delegate.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        delegate.write(b, off, len);
                    }

                    @Override
                    public void flush() throws IOException {
                        if (streaming()) {
                            delegate.flush();
                        }
                    }

                    @Override
                    public void close() throws IOException {
                        delegate.close();
                    }

                    @Override
                    public boolean isReady() {
                        return delegate.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        delegate.setWriteListener(listener);
                    }
                };
            }
            return stream;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (writer == null) {
                PrintWriter delegate = super.getWriter();
                writer = new PrintWriter(new Writer() {
                    @Override
                    public void write(char[] chars, int off, int len) {
                        delegate.write(chars, off, len);
                    }

                    @Override
                    public void flush() {
                        if (streaming()) {
                            delegate.flush();
                        }
                    }

                    @Override
                    public void close() {
                        delegate.close();
                    }
                });
            }
            return writer;
        }
    }
}
