package dev.todoapi.auth;

import dev.todoapi.api.AuthApi;
import dev.todoapi.api.model.AuthResponse;
import dev.todoapi.api.model.ChangePasswordRequest;
import dev.todoapi.api.model.LoginRequest;
import dev.todoapi.api.model.RefreshRequest;
import dev.todoapi.api.model.RegisterRequest;
import dev.todoapi.api.model.StreamTicket;
import dev.todoapi.api.model.UpdateUserRequest;
import dev.todoapi.api.model.User;
import dev.todoapi.db.jooq.tables.records.UsersRecord;
import dev.todoapi.security.SecurityEvents;
import dev.todoapi.web.ApiException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.WebUtils;

@RestController
class AuthController implements AuthApi {

    static final String REFRESH_COOKIE = "refresh_token";
    private static final String COOKIE_PATH = "/api/v1/auth";

    private final Accounts accounts;
    private final Sessions sessions;
    private final CurrentUser currentUser;
    private final StreamTickets tickets;
    private final SecurityEvents events;
    private final HttpServletRequest request;
    private final boolean cookieSecure;

    AuthController(Accounts accounts, Sessions sessions, CurrentUser currentUser, SecurityEvents events,
            HttpServletRequest request, AuthProperties properties, StreamTickets tickets) {
        this.tickets = tickets;
        this.accounts = accounts;
        this.sessions = sessions;
        this.currentUser = currentUser;
        this.events = events;
        this.request = request;
        this.cookieSecure = properties.cookieSecure();
    }

    @Override
    public ResponseEntity<AuthResponse> register(RegisterRequest body) {
        UsersRecord user = accounts.register(body.getEmail(), body.getPassword(), body.getName());
        return signedIn(HttpStatus.CREATED, sessions.start(user));
    }

    @Override
    public ResponseEntity<AuthResponse> login(LoginRequest body) {
        UsersRecord user;
        try {
            user = accounts.authenticate(body.getEmail(), body.getPassword());
        } catch (ApiException e) {
            events.loginFailed(request, e.code());
            throw e;
        }
        return signedIn(HttpStatus.OK, sessions.start(user));
    }

    /**
     * The seed frontends' sign-up: register under another path. The refresh cookie keeps Path=/api/v1/auth,
     * where refresh and logout are (a cookie scoped to /api/auth would reach no route that reads it).
     */
    @Override
    public ResponseEntity<AuthResponse> compatSignUp(RegisterRequest body) {
        return register(body);
    }

    /** The seed frontends' sign-in: login with a JSON body, under another path; the same cookie as login. */
    @Override
    public ResponseEntity<AuthResponse> compatSignIn(LoginRequest body) {
        return login(body);
    }

    @Override
    public ResponseEntity<AuthResponse> refresh(@Nullable RefreshRequest body) {
        String token = presentedRefreshToken(body);
        if (token == null) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "MISSING_REFRESH_TOKEN",
                    "Send the refresh token in the refresh_token cookie or as {\"refresh_token\": ...}.");
        }
        return signedIn(HttpStatus.OK, sessions.rotate(token, request));
    }

    @Override
    public ResponseEntity<Void> logout(@Nullable RefreshRequest body) {
        String token = presentedRefreshToken(body);
        if (token != null) {
            sessions.end(token);
        }
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, clearedCookie()).build();
    }

    @Override
    public ResponseEntity<StreamTicket> createStreamTicket() {
        String userId = currentUser.id();
        accounts.get(userId); // 401 for an account deleted since its token was issued
        return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore())
                .body(new StreamTicket(tickets.issue(userId), (int) tickets.ttl().toSeconds()));
    }

    @Override
    public ResponseEntity<User> getMe() {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(user(accounts.get(currentUser.id())));
    }

    @Override
    public ResponseEntity<User> updateMe(UpdateUserRequest body) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(user(accounts.rename(currentUser.id(), body.getName())));
    }

    @Override
    public ResponseEntity<Void> changePassword(ChangePasswordRequest body) {
        accounts.changePassword(currentUser.id(), body.getCurrentPassword(), body.getNewPassword());
        return ResponseEntity.noContent().build();
    }

    @Override
    public ResponseEntity<Void> deleteMe() {
        accounts.delete(currentUser.id());
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, clearedCookie()).build();
    }

    /** The body's token (non-browser clients), else the cookie's (browsers). */
    private @Nullable String presentedRefreshToken(@Nullable RefreshRequest body) {
        if (body != null && body.getRefreshToken() != null && !body.getRefreshToken().isBlank()) {
            return body.getRefreshToken();
        }
        Cookie cookie = WebUtils.getCookie(request, REFRESH_COOKIE);
        return cookie == null || cookie.getValue().isBlank() || cookie.getValue().length() > 512 ? null : cookie.getValue();
    }

    private ResponseEntity<AuthResponse> signedIn(HttpStatus status, Sessions.Issued issued) {
        AuthResponse body = new AuthResponse(user(issued.user()), issued.accessToken(),
                AuthResponse.TokenTypeEnum.BEARER, (int) issued.accessTtl().toSeconds());
        // Browsers (they send Origin) get the refresh token only as an HttpOnly cookie, out of reach of scripts.
        if (request.getHeader(HttpHeaders.ORIGIN) == null) {
            body.setRefreshToken(issued.refreshToken());
            body.setRefreshExpiresIn((int) issued.refreshTtl().toSeconds());
        }
        return ResponseEntity.status(status)
                .cacheControl(CacheControl.noStore())
                .header(HttpHeaders.SET_COOKIE, cookie(issued.refreshToken(), issued.refreshTtl()))
                .body(body);
    }

    private String cookie(String value, Duration maxAge) {
        return ResponseCookie.from(REFRESH_COOKIE, value)
                .httpOnly(true)
                .secure(cookieSecure)
                .sameSite("Strict")
                .path(COOKIE_PATH)
                .maxAge(maxAge)
                .build()
                .toString();
    }

    private String clearedCookie() {
        return cookie("", Duration.ZERO);
    }

    static User user(UsersRecord record) {
        User user = new User(record.getId(), record.getEmail(), record.getCreatedAt());
        user.setName(record.getName());
        return user;
    }
}
