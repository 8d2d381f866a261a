package dev.todoapi.auth;

import static dev.todoapi.db.jooq.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.ApiTestBase;
import dev.todoapi.testsupport.TestUser;
import jakarta.servlet.http.Cookie;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;

/** /api/auth/signup and /api/auth/signin, the seed frontends' register and login. */
class SeedAuthRoutesTest extends ApiTestBase {

    private MockHttpServletRequestBuilder postJson(String path, Object body) throws Exception {
        return post(path).contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body));
    }

    private MvcResult signUp(String email) throws Exception {
        return call(postJson("/api/auth/signup", Map.of("email", email, "password", TestUser.PASSWORD, "name", "Ada")));
    }

    private MvcResult signIn(String email, String password) throws Exception {
        return call(postJson("/api/auth/signin", Map.of("email", email, "password", password)));
    }

    /** The refresh token of a Set-Cookie header, after checking it is the cookie register and login set. */
    private static String refreshCookie(MvcResult result) {
        String cookie = result.getResponse().getHeader("Set-Cookie");
        assertThat(cookie).startsWith("refresh_token=")
                .contains("Path=/api/v1/auth", "HttpOnly", "SameSite=Strict", "Secure", "Max-Age=604800");
        return cookie.substring("refresh_token=".length(), cookie.indexOf(';'));
    }

    @Test
    void signUpIsRegister() throws Exception {
        MvcResult result = signUp("Ada@Example.com");

        assertThat(result.getResponse().getStatus()).isEqualTo(201);
        JsonNode body = body(result);
        assertThat(body.get("user").get("email").asString()).isEqualTo("ada@example.com");
        assertThat(body.get("user").get("name").asString()).isEqualTo("Ada");
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asInt()).isEqualTo(900);
        assertThat(refreshCookie(result)).isEqualTo(body.get("refresh_token").asString());
        assertThat(result.getResponse().getHeader("Cache-Control")).contains("no-store");
        assertThat(result.getResponse().getHeader("RateLimit")).startsWith("limit=");

        // A user like any other: the token works on every route, the password on /api/v1/auth/login.
        String token = bearer(body.get("access_token").asString());
        assertThat(body(call(get("/api/v1/auth/me").header("Authorization", token))).get("id").asString())
                .isEqualTo(body.get("user").get("id").asString());
        assertThat(call(get("/api/tasks").header("Authorization", token)).getResponse().getStatus()).isEqualTo(200);
        assertThat(call(postJson("/api/v1/auth/login", Map.of("email", "ada@example.com", "password", TestUser.PASSWORD)))
                .getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void theSessionRefreshesAndEndsUnderApiV1Auth() throws Exception {
        String refresh = refreshCookie(signUp("ada@example.com"));

        MvcResult refreshed = call(post("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .cookie(new Cookie("refresh_token", refresh)));
        assertThat(refreshed.getResponse().getStatus()).isEqualTo(200);
        String rotated = refreshCookie(refreshed);
        assertThat(rotated).isNotEqualTo(refresh);

        String signedIn = refreshCookie(signIn("ada@example.com", TestUser.PASSWORD));
        assertThat(call(post("/api/v1/auth/logout").contentType(MediaType.APPLICATION_JSON)
                .cookie(new Cookie("refresh_token", signedIn))).getResponse().getStatus()).isEqualTo(204);
        MvcResult afterLogout = call(post("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .cookie(new Cookie("refresh_token", signedIn)));
        assertThat(afterLogout.getResponse().getStatus()).isEqualTo(401);
        // The sign-up's session is another one, still alive.
        assertThat(call(post("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .cookie(new Cookie("refresh_token", rotated))).getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void browsersGetTheRefreshTokenOnlyAsACookie() throws Exception {
        signUp("ada@example.com");

        for (MockHttpServletRequestBuilder request : new MockHttpServletRequestBuilder[] {
                postJson("/api/auth/signup", Map.of("email", "b@example.com", "password", TestUser.PASSWORD)),
                postJson("/api/auth/signin", Map.of("email", "ada@example.com", "password", TestUser.PASSWORD))}) {
            MvcResult result = call(request.header("Origin", "http://localhost:5173"));
            assertThat(result.getResponse().getStatus()).isBetween(200, 201);
            assertThat(body(result).has("refresh_token")).isFalse();
            refreshCookie(result);
        }
    }

    @Test
    void anEmailTakenOnEitherRouteIs409() throws Exception {
        register("grace@example.com");
        signUp("ada@example.com");

        for (String[] attempt : new String[][] {{"/api/auth/signup", "GRACE@example.com"}, {"/api/v1/auth/register", "ADA@example.com"}}) {
            MvcResult result = call(postJson(attempt[0], Map.of("email", attempt[1], "password", TestUser.PASSWORD)));
            assertThat(result.getResponse().getStatus()).isEqualTo(409);
            assertThat(body(result).get("code").asString()).isEqualTo("EMAIL_ALREADY_EXISTS");
            assertThat(body(result).get("detail").asString()).isNotBlank();
        }
        assertThat(db.fetchCount(USERS)).isEqualTo(2);
    }

    @Test
    void invalidSignUpsAre422() throws Exception {
        MvcResult badEmail = callBad(postJson("/api/auth/signup", Map.of("email", "not-an-email", "password", TestUser.PASSWORD)));
        assertThat(badEmail.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(badEmail).get("code").asString()).isEqualTo("INVALID_EMAIL");

        MvcResult shortPassword = callBad(postJson("/api/auth/signup", Map.of("email", "c@example.com", "password", "1234567")));
        assertThat(shortPassword.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(shortPassword).get("code").asString()).isEqualTo("PASSWORD_TOO_SHORT");

        MvcResult noPassword = callBad(postJson("/api/auth/signup", Map.of("email", "c@example.com")));
        assertThat(noPassword.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(noPassword).get("errors").get(0).get("field").asString()).isEqualTo("password");
        assertThat(body(noPassword).get("errors").get(0).get("code").asString()).isEqualTo("REQUIRED");

        MvcResult broken = callBad(post("/api/auth/signup").contentType(MediaType.APPLICATION_JSON).content("{\"email\": "));
        assertThat(broken.getResponse().getStatus()).isEqualTo(400);
        assertThat(body(broken).get("code").asString()).isEqualTo("MALFORMED_REQUEST");
        assertThat(db.fetchCount(USERS)).isZero();
    }

    @Test
    void signInIsLogin() throws Exception {
        String id = body(signUp("ada@example.com")).get("user").get("id").asString();

        MvcResult result = signIn("ADA@example.com", TestUser.PASSWORD);

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        JsonNode body = body(result);
        assertThat(body.get("user").get("id").asString()).isEqualTo(id);
        assertThat(refreshCookie(result)).isEqualTo(body.get("refresh_token").asString());
        assertThat(result.getResponse().getHeader("Cache-Control")).contains("no-store");
        assertThat(call(get("/api/tasks").header("Authorization", bearer(body.get("access_token").asString())))
                .getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void wrongPasswordAndUnknownEmailLookTheSame() throws Exception {
        signUp("ada@example.com");

        MvcResult wrongPassword = signIn("ada@example.com", "wrong password!");
        MvcResult unknownEmail = signIn("nobody@example.com", "wrong password!");

        for (MvcResult result : new MvcResult[] {wrongPassword, unknownEmail}) {
            assertThat(result.getResponse().getStatus()).isEqualTo(401);
            assertThat(result.getResponse().getHeader("WWW-Authenticate")).startsWith("Bearer");
            assertThat(body(result).get("code").asString()).isEqualTo("INVALID_CREDENTIALS");
            assertThat(result.getResponse().getHeader("Set-Cookie")).isNull();
        }
        assertThat(body(wrongPassword).get("detail")).isEqualTo(body(unknownEmail).get("detail"));
    }

    @Test
    void invalidSignInsAre422Or415() throws Exception {
        MvcResult noPassword = callBad(postJson("/api/auth/signin", Map.of("email", "ada@example.com")));
        assertThat(noPassword.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(noPassword).get("errors").get(0).get("field").asString()).isEqualTo("password");

        // JSON only: the OAuth2 password form stays /api/v1/auth/login's.
        MvcResult form = callBad(post("/api/auth/signin").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content("username=ada%40example.com&password=x"));
        assertThat(form.getResponse().getStatus()).isEqualTo(415);
        assertThat(body(form).get("code").asString()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }
}
