package dev.todoapi.auth;

import dev.todoapi.api.model.LoginRequest;
import java.io.IOException;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;

/**
 * Reads the OAuth2 password form ({@code username=...&password=...}, the contract's LoginForm) that
 * existing frontends post to /login, into the same LoginRequest as the JSON body.
 */
@Component
class LoginFormConverter extends AbstractHttpMessageConverter<LoginRequest> {

    private final FormHttpMessageConverter form = new FormHttpMessageConverter();

    LoginFormConverter() {
        super(MediaType.APPLICATION_FORM_URLENCODED);
    }

    @Override
    protected boolean supports(Class<?> type) {
        return LoginRequest.class == type;
    }

    @Override
    protected boolean canWrite(MediaType mediaType) {
        return false;
    }

    @Override
    protected LoginRequest readInternal(Class<? extends LoginRequest> type, HttpInputMessage input) throws IOException {
        MultiValueMap<String, String> fields = form.read(null, input);
        String username = fields.getFirst("username");
        String password = fields.getFirst("password");
        if (username == null || password == null) {
            throw new HttpMessageNotReadableException("The login form needs username and password fields.", input);
        }
        return new LoginRequest(username, password);
    }

    @Override
    protected void writeInternal(LoginRequest loginRequest, HttpOutputMessage output) throws HttpMessageNotWritableException {
        throw new HttpMessageNotWritableException("LoginRequest is never written");
    }
}
