package dev.todoapi.auth;

import static dev.todoapi.db.jooq.Tables.REFRESH_TOKENS;
import static dev.todoapi.db.jooq.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.ApiTestBase;
import dev.todoapi.testsupport.TestUser;
import jakarta.servlet.http.Cookie;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;

class AuthApiTest extends ApiTestBase {

    private MockHttpServletRequestBuilder postJson(String path, Object body) throws Exception {
        return post(path).contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body));
    }

    private MvcResult login(String email, String password) throws Exception {
        return call(postJson("/api/v1/auth/login", Map.of("email", email, "password", password)));
    }

    @Test
    void registerSignsTheNewUserIn() throws Exception {
        MvcResult result = call(postJson("/api/v1/auth/register",
                Map.of("email", "Ada@Example.com", "password", TestUser.PASSWORD, "name", "Ada")));

        assertThat(result.getResponse().getStatus()).isEqualTo(201);
        JsonNode body = body(result);
        assertThat(body.get("user").get("email").asString()).isEqualTo("ada@example.com");
        assertThat(body.get("user").get("name").asString()).isEqualTo("Ada");
        assertThat(body.get("user").get("id").asString()).matches("[0-9a-f-]{36}");
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asInt()).isEqualTo(900);
        assertThat(body.get("access_token").asString().split("\\.")).hasSize(3);
        // rt1.<the user id, base64url>.<256 random bits, base64url>: the token names its user (one shard's lookup)
        String refreshToken = body.get("refresh_token").asString();
        assertThat(refreshToken).matches("rt1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        assertThat(Sessions.userOf(refreshToken)).contains(body.get("user").get("id").asString());
        String cookie = result.getResponse().getHeader("Set-Cookie");
        assertThat(cookie).startsWith("refresh_token=" + body.get("refresh_token").asString())
                .contains("Path=/api/v1/auth", "HttpOnly", "SameSite=Strict", "Secure", "Max-Age=604800");
        assertThat(result.getResponse().getHeader("Cache-Control")).contains("no-store");
        // Only a hash of the refresh token is stored.
        assertThat(db.fetchCount(REFRESH_TOKENS)).isEqualTo(1);
        assertThat(db.select(REFRESH_TOKENS.TOKEN_HASH).from(REFRESH_TOKENS).fetchSingle().value1()).hasSize(32);
        assertThat(db.select(USERS.PASSWORD_HASH).from(USERS).fetchSingle().value1())
                .startsWith("{bcrypt-sha256}$2a$10$").doesNotContain(TestUser.PASSWORD);
    }

    @Test
    void browsersGetTheRefreshTokenOnlyAsACookie() throws Exception {
        MvcResult result = call(postJson("/api/v1/auth/register", Map.of("email", "b@example.com", "password", TestUser.PASSWORD))
                .header("Origin", "http://localhost:5173"));

        assertThat(result.getResponse().getStatus()).isEqualTo(201);
        assertThat(body(result).has("refresh_token")).isFalse();
        assertThat(result.getResponse().getHeader("Set-Cookie")).startsWith("refresh_token=");
    }

    @Test
    void emailsAreUniqueCaseInsensitively() throws Exception {
        register("grace@example.com");

        MvcResult result = call(postJson("/api/v1/auth/register", Map.of("email", "GRACE@example.com", "password", TestUser.PASSWORD)));

        assertThat(result.getResponse().getStatus()).isEqualTo(409);
        assertThat(body(result).get("code").asString()).isEqualTo("EMAIL_ALREADY_EXISTS");
    }

    @Test
    void invalidEmailAndShortPasswordHaveTheirOwnCodes() throws Exception {
        MvcResult badEmail = callBad(postJson("/api/v1/auth/register", Map.of("email", "not-an-email", "password", TestUser.PASSWORD)));
        assertThat(badEmail.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(badEmail).get("code").asString()).isEqualTo("INVALID_EMAIL");
        assertThat(body(badEmail).get("errors").get(0).get("field").asString()).isEqualTo("email");

        MvcResult noTld = call(postJson("/api/v1/auth/register", Map.of("email", "someone@localhost", "password", TestUser.PASSWORD)));
        assertThat(body(noTld).get("code").asString()).isEqualTo("INVALID_EMAIL");

        MvcResult shortPassword = callBad(postJson("/api/v1/auth/register", Map.of("email", "c@example.com", "password", "1234567")));
        assertThat(shortPassword.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(shortPassword).get("code").asString()).isEqualTo("PASSWORD_TOO_SHORT");
        assertThat(body(shortPassword).get("errors").get(0).get("field").asString()).isEqualTo("password");

        MvcResult longPassword = callBad(postJson("/api/v1/auth/register", Map.of("email", "c@example.com", "password", "x".repeat(129))));
        assertThat(body(longPassword).get("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(db.fetchCount(USERS)).isZero();
    }

    @Test
    void longPasswordsAreNotTruncated() throws Exception {
        String prefix = "p".repeat(100);
        call(postJson("/api/v1/auth/register", Map.of("email", "long@example.com", "password", prefix + "-one")));

        assertThat(login("long@example.com", prefix + "-two").getResponse().getStatus()).isEqualTo(401);
        assertThat(login("long@example.com", prefix + "-one").getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void loginAcceptsJsonAndTheOAuth2PasswordForm() throws Exception {
        register("ada@example.com");

        MvcResult json = login("ADA@example.com", TestUser.PASSWORD);
        assertThat(json.getResponse().getStatus()).isEqualTo(200);
        assertThat(body(json).get("user").get("email").asString()).isEqualTo("ada@example.com");

        MvcResult form = call(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content("username=ada%40example.com&password=correct+horse+battery+staple&grant_type=password"));
        assertThat(form.getResponse().getStatus()).isEqualTo(200);
        assertThat(body(form).get("access_token").asString()).isNotBlank();
        assertThat(body(form).get("token_type").asString()).isEqualTo("Bearer");
    }

    @Test
    void wrongPasswordAndUnknownEmailLookTheSame() throws Exception {
        register("ada@example.com");

        MvcResult wrongPassword = login("ada@example.com", "wrong password!");
        MvcResult unknownEmail = login("nobody@example.com", "wrong password!");

        for (MvcResult result : new MvcResult[] {wrongPassword, unknownEmail}) {
            assertThat(result.getResponse().getStatus()).isEqualTo(401);
            assertThat(result.getResponse().getHeader("WWW-Authenticate")).startsWith("Bearer");
            assertThat(body(result).get("code").asString()).isEqualTo("INVALID_CREDENTIALS");
        }
        assertThat(body(wrongPassword).get("detail")).isEqualTo(body(unknownEmail).get("detail"));
    }

    @Test
    void meNeedsAToken() throws Exception {
        TestUser user = register();

        MvcResult me = call(get("/api/v1/auth/me").header("Authorization", user.bearer()));
        assertThat(me.getResponse().getStatus()).isEqualTo(200);
        assertThat(body(me).get("id").asString()).isEqualTo(user.id());
        assertThat(body(me).get("email").asString()).isEqualTo(user.email());
        assertThat(body(me).has("created_at")).isTrue();

        MvcResult missing = call(get("/api/v1/auth/me"));
        assertThat(missing.getResponse().getStatus()).isEqualTo(401);
        assertThat(missing.getResponse().getHeader("WWW-Authenticate")).startsWith("Bearer").doesNotContain("error=");
        assertThat(body(missing).get("code").asString()).isEqualTo("MISSING_TOKEN");

        MvcResult garbage = call(get("/api/v1/auth/me").header("Authorization", "Bearer not.a.jwt"));
        assertThat(garbage.getResponse().getStatus()).isEqualTo(401);
        assertThat(garbage.getResponse().getHeader("WWW-Authenticate")).contains("invalid_token");
        assertThat(body(garbage).get("code").asString()).isEqualTo("INVALID_TOKEN");
    }

    @Test
    void refreshRotatesAndDetectsReuse() throws Exception {
        TestUser user = register();

        MvcResult first = call(post("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON).cookie(new Cookie("refresh_token", user.refreshToken())));
        assertThat(first.getResponse().getStatus()).isEqualTo(200);
        String rotated = body(first).get("refresh_token").asString();
        assertThat(rotated).isNotEqualTo(user.refreshToken());
        assertThat(first.getResponse().getHeader("Set-Cookie")).startsWith("refresh_token=" + rotated);
        String newAccess = body(first).get("access_token").asString();
        assertThat(call(get("/api/v1/auth/me").header("Authorization", bearer(newAccess))).getResponse().getStatus())
                .isEqualTo(200);

        // The old token again: someone copied it. The whole session is revoked.
        MvcResult reused = call(post("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON).cookie(new Cookie("refresh_token", user.refreshToken())));
        assertThat(reused.getResponse().getStatus()).isEqualTo(401);
        assertThat(body(reused).get("code").asString()).isEqualTo("REFRESH_TOKEN_REUSED");
        assertThat(reused.getResponse().getHeader("WWW-Authenticate")).startsWith("Bearer");

        MvcResult afterRevocation = call(postJson("/api/v1/auth/refresh", Map.of("refresh_token", rotated)));
        assertThat(afterRevocation.getResponse().getStatus()).isEqualTo(401);
        assertThat(body(afterRevocation).get("code").asString()).isEqualTo("INVALID_TOKEN");
    }

    @Test
    void aTokenIssuedBeforeTokensNamedTheirUserStillRotatesUntilItExpires() throws Exception {
        TestUser user = register();
        String legacy = "Vq3c1xXo8b3wzq3c1xXo8b3wzq3c1xXo8b3wzq3c1xX"; // 256 bits, base64url, no user in it
        db.insertInto(REFRESH_TOKENS)
                .set(REFRESH_TOKENS.USER_ID, user.id())
                .set(REFRESH_TOKENS.FAMILY_ID, java.util.UUID.randomUUID())
                .set(REFRESH_TOKENS.TOKEN_HASH, Sessions.hash(legacy))
                .set(REFRESH_TOKENS.EXPIRES_AT, OffsetDateTime.now().plusDays(1))
                .execute();

        MvcResult rotated = call(postJson("/api/v1/auth/refresh", Map.of("refresh_token", legacy)));

        assertThat(rotated.getResponse().getStatus()).isEqualTo(200);
        assertThat(Sessions.userOf(body(rotated).get("refresh_token").asString())).contains(user.id());
        MvcResult reused = call(postJson("/api/v1/auth/refresh", Map.of("refresh_token", legacy)));
        assertThat(body(reused).get("code").asString()).isEqualTo("REFRESH_TOKEN_REUSED");
    }

    @Test
    void aTokenNamingAnotherUserIsNotValid() throws Exception {
        TestUser ada = register();
        TestUser bob = register();
        String secret = ada.refreshToken().substring(ada.refreshToken().lastIndexOf('.') + 1);
        String forged = "rt1." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(bob.id().getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + secret;

        MvcResult result = call(postJson("/api/v1/auth/refresh", Map.of("refresh_token", forged)));

        assertThat(result.getResponse().getStatus()).isEqualTo(401);
        assertThat(body(result).get("code").asString()).isEqualTo("INVALID_TOKEN");
        assertThat(call(postJson("/api/v1/auth/refresh", Map.of("refresh_token", ada.refreshToken()))).getResponse().getStatus())
                .as("Ada's own token is untouched").isEqualTo(200);
    }

    @Test
    void refreshTakesTheTokenFromTheBodyToo() throws Exception {
        TestUser user = register();

        MvcResult result = call(postJson("/api/v1/auth/refresh", Map.of("refresh_token", user.refreshToken())));

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(body(result).get("user").get("id").asString()).isEqualTo(user.id());
    }

    @Test
    void refreshFailures() throws Exception {
        TestUser user = register();

        MvcResult missing = call(post("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON));
        assertThat(missing.getResponse().getStatus()).isEqualTo(401);
        assertThat(body(missing).get("code").asString()).isEqualTo("MISSING_REFRESH_TOKEN");

        MvcResult unknown = call(postJson("/api/v1/auth/refresh", Map.of("refresh_token", "made-up")));
        assertThat(body(unknown).get("code").asString()).isEqualTo("INVALID_TOKEN");

        db.update(REFRESH_TOKENS).set(REFRESH_TOKENS.EXPIRES_AT, OffsetDateTime.now().minusSeconds(1)).execute();
        MvcResult expired = call(postJson("/api/v1/auth/refresh", Map.of("refresh_token", user.refreshToken())));
        assertThat(expired.getResponse().getStatus()).isEqualTo(401);
        assertThat(body(expired).get("code").asString()).isEqualTo("REFRESH_TOKEN_EXPIRED");
    }

    @Test
    void logoutRevokesTheSessionAndIsIdempotent() throws Exception {
        TestUser user = register();

        MvcResult logout = call(post("/api/v1/auth/logout").contentType(MediaType.APPLICATION_JSON).cookie(new Cookie("refresh_token", user.refreshToken())));
        assertThat(logout.getResponse().getStatus()).isEqualTo(204);
        assertThat(logout.getResponse().getHeader("Set-Cookie")).startsWith("refresh_token=;").contains("Max-Age=0");

        MvcResult refresh = call(postJson("/api/v1/auth/refresh", Map.of("refresh_token", user.refreshToken())));
        assertThat(refresh.getResponse().getStatus()).isEqualTo(401);

        assertThat(call(post("/api/v1/auth/logout").contentType(MediaType.APPLICATION_JSON).cookie(new Cookie("refresh_token", user.refreshToken())))
                .getResponse().getStatus()).isEqualTo(204);
        assertThat(call(post("/api/v1/auth/logout").contentType(MediaType.APPLICATION_JSON)).getResponse().getStatus()).isEqualTo(204);
    }

    @Test
    void renameAndChangePassword() throws Exception {
        TestUser user = register();

        MvcResult renamed = call(patch("/api/v1/auth/me").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"Grace Hopper\"}"));
        assertThat(renamed.getResponse().getStatus()).isEqualTo(200);
        assertThat(body(renamed).get("name").asString()).isEqualTo("Grace Hopper");

        MvcResult wrongCurrent = call(postJson("/api/v1/auth/me/password",
                Map.of("current_password", "not it at all", "new_password", "a brand new password"))
                .header("Authorization", user.bearer()));
        assertThat(wrongCurrent.getResponse().getStatus()).isEqualTo(401);
        assertThat(body(wrongCurrent).get("code").asString()).isEqualTo("INVALID_CREDENTIALS");

        MvcResult tooShort = callBad(postJson("/api/v1/auth/me/password",
                Map.of("current_password", TestUser.PASSWORD, "new_password", "short"))
                .header("Authorization", user.bearer()));
        assertThat(body(tooShort).get("code").asString()).isEqualTo("PASSWORD_TOO_SHORT");

        MvcResult changed = call(postJson("/api/v1/auth/me/password",
                Map.of("current_password", TestUser.PASSWORD, "new_password", "a brand new password"))
                .header("Authorization", user.bearer()));
        assertThat(changed.getResponse().getStatus()).isEqualTo(204);

        // Every session ends; only the new password signs in.
        assertThat(call(postJson("/api/v1/auth/refresh", Map.of("refresh_token", user.refreshToken())))
                .getResponse().getStatus()).isEqualTo(401);
        assertThat(login(user.email(), TestUser.PASSWORD).getResponse().getStatus()).isEqualTo(401);
        assertThat(login(user.email(), "a brand new password").getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void deleteMeRemovesTheAccountAndItsData() throws Exception {
        TestUser user = register();
        TestUser other = register();

        MvcResult deleted = call(delete("/api/v1/auth/me").header("Authorization", user.bearer()));

        assertThat(deleted.getResponse().getStatus()).isEqualTo(204);
        assertThat(db.fetchCount(USERS, USERS.ID.eq(user.id()))).isZero();
        assertThat(db.fetchCount(REFRESH_TOKENS, REFRESH_TOKENS.USER_ID.eq(user.id()))).isZero();
        assertThat(db.fetchCount(USERS, USERS.ID.eq(other.id()))).isOne();
        MvcResult me = call(get("/api/v1/auth/me").header("Authorization", user.bearer()));
        assertThat(me.getResponse().getStatus()).isEqualTo(401);
        assertThat(login(user.email(), TestUser.PASSWORD).getResponse().getStatus()).isEqualTo(401);
    }

    @Test
    void corsPreflightForAllowedOriginsOnly() throws Exception {
        MvcResult allowed = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .options("/api/v1/auth/login")
                .header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")).andReturn();
        assertThat(allowed.getResponse().getStatus()).isEqualTo(200);
        assertThat(allowed.getResponse().getHeader("Access-Control-Allow-Origin")).isEqualTo("http://localhost:5173");
        assertThat(allowed.getResponse().getHeader("Access-Control-Allow-Credentials")).isEqualTo("true");

        MvcResult refused = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .options("/api/v1/auth/login")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")).andReturn();
        assertThat(refused.getResponse().getStatus()).isEqualTo(403);
        assertThat(refused.getResponse().getHeader("Access-Control-Allow-Origin")).isNull();
    }
}
