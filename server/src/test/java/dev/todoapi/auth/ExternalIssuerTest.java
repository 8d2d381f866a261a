package dev.todoapi.auth;

import static dev.todoapi.db.jooq.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.todoapi.testsupport.ApiTestBase;
import dev.todoapi.testsupport.TestIdentityProvider;
import dev.todoapi.testsupport.TestUser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

/** Access tokens of configured external identity providers are accepted; the user appears on first sight. */
class ExternalIssuerTest extends ApiTestBase {

    private final TestIdentityProvider idp = TestIdentityProvider.get();

    private MvcResult me(String token) throws Exception {
        return call(get("/api/v1/auth/me").header("Authorization", bearer(token)));
    }

    @Test
    void rs256TokenFromAJwksCreatesTheUser() throws Exception {
        String token = idp.signRs256(TestIdentityProvider.claims(TestIdentityProvider.JWKS_ISSUER,
                TestIdentityProvider.JWKS_AUDIENCE, "idp-user-1").claim("email", "one@idp.test").build());

        MvcResult result = me(token);

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(body(result).get("id").asString()).isEqualTo("idp-user-1");
        assertThat(body(result).get("email").asString()).isEqualTo("one@idp.test");
        assertThat(db.fetchSingle(USERS, USERS.ID.eq("idp-user-1")).getIssuer()).isEqualTo(TestIdentityProvider.JWKS_ISSUER);
        assertThat(me(token).getResponse().getStatus()).isEqualTo(200);
        assertThat(db.fetchCount(USERS)).isEqualTo(1);
        // Its default list came with it, once.
        assertThat(db.fetchCount(dev.todoapi.db.jooq.Tables.LISTS, dev.todoapi.db.jooq.Tables.LISTS.USER_ID.eq("idp-user-1")
                .and(dev.todoapi.db.jooq.Tables.LISTS.IS_DEFAULT))).isEqualTo(1);
    }

    @Test
    void eddsaTokenLikeBetterAuthsJwtPlugin() throws Exception {
        String token = idp.signEdDsa(TestIdentityProvider.claims(TestIdentityProvider.JWKS_ISSUER,
                TestIdentityProvider.JWKS_AUDIENCE, "ed-user").claim("email", "ed@idp.test").build());

        MvcResult result = me(token);

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(body(result).get("id").asString()).isEqualTo("ed-user");
    }

    @Test
    void sharedSecretIssuer() throws Exception {
        String token = TestIdentityProvider.signHs256(
                TestIdentityProvider.claims(TestIdentityProvider.SECRET_ISSUER, "anything", "ba-user").claim("email", "ba@example.com").build(),
                TestIdentityProvider.SHARED_SECRET.getBytes(StandardCharsets.UTF_8));

        MvcResult result = me(token);

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(body(result).get("id").asString()).isEqualTo("ba-user");
    }

    @Test
    void wrongAudienceOfAnExternalIssuerIsRejected() throws Exception {
        String token = idp.signRs256(TestIdentityProvider.claims(TestIdentityProvider.JWKS_ISSUER, "someone-else", "u").build());

        MvcResult result = me(token);

        assertThat(result.getResponse().getStatus()).isEqualTo(401);
        assertThat(body(result).get("code").asString()).isEqualTo("INVALID_TOKEN");
    }

    @Test
    void anExternalProviderCannotSpeakForALocalAccount() throws Exception {
        TestUser local = register();
        String token = idp.signRs256(TestIdentityProvider.claims(TestIdentityProvider.JWKS_ISSUER,
                TestIdentityProvider.JWKS_AUDIENCE, local.id()).claim("email", "mallory@idp.test").build());

        MvcResult result = me(token);

        assertThat(result.getResponse().getStatus()).isEqualTo(401);
        assertThat(body(result).get("code").asString()).isEqualTo("INVALID_TOKEN");
        assertThat(db.fetchSingle(USERS, USERS.ID.eq(local.id())).getIssuer()).isNull();
    }

    @Test
    void unknownIssuerIsRejected() throws Exception {
        String token = TestIdentityProvider.signHs256(
                TestIdentityProvider.claims("https://unknown.example", "todo-api", "x").build(),
                TestIdentityProvider.SHARED_SECRET.getBytes(StandardCharsets.UTF_8));

        assertThat(me(token).getResponse().getStatus()).isEqualTo(401);
    }
}
