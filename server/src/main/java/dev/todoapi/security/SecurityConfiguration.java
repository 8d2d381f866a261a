package dev.todoapi.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.Set;
import java.util.stream.Collectors;
import dev.todoapi.auth.AccessTokens;
import dev.todoapi.auth.AuthProperties;
import dev.todoapi.auth.ExternalUsers;
import dev.todoapi.auth.PasswordHasher;
import dev.todoapi.auth.SigningKey;
import dev.todoapi.database.DatabaseProperties;
import dev.todoapi.database.DatabaseServer;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import dev.todoapi.web.MalformedRequestFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may call what. Resource operations under /api need a bearer JWT: one of ours (HS256, JWT_SECRET)
 * or one from a configured external issuer; sign-up and sign-in, the service's own pages and everything
 * outside /api are open. Failures are problem+json like every other error.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /** Verified access tokens remembered per issuer (about 1 KiB each). */
    private static final long VERIFIED_TOKENS = 10_000;

    /**
     * No Micrometer observation around each security filter: it cost more CPU per request than the
     * JWT check itself (JFR profile in bench/results/2026-11-23-tuning.md). Requests are still observed
     * as a whole (http.server.requests).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security's firewall, with header values checked the way {@link MalformedRequestFilter} checks them
     * (which runs first and names the header in a 400): control characters are refused, obs-text is not.
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderValues(value -> MalformedRequestFilter.allowed(value, false));
        return firewall;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SigningKey signingKey(AuthProperties auth, DatabaseServer database, DatabaseProperties databaseProperties) {
        return SigningKey.resolve(auth.jwtSecret(), database, databaseProperties.dataDir());
    }

    @Bean
    PasswordHasher passwordHasher(AuthProperties auth) {
        return new PasswordHasher(auth.bcryptCost());
    }

    @Bean
    AccessTokens accessTokens(SigningKey key, AuthProperties auth, Clock clock) {
        return new AccessTokens(new NimbusJwtEncoder(new ImmutableSecret<>(key.secretKey())), auth, clock);
    }

    /** Our own tokens: HS256 with our key, our issuer and audience, type=access, not expired (60 s skew). */
    @Bean
    JwtDecoder ownTokenDecoder(SigningKey key, AuthProperties auth) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key.secretKey()).macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(validators(auth.issuer(), auth.audience(),
                new JwtClaimValidator<String>(AccessTokens.TYPE_CLAIM, AccessTokens.ACCESS_TYPE::equals)));
        return decoder;
    }

    @Bean
    AuthenticationManagerResolver<HttpServletRequest> issuerResolver(
            JwtDecoder ownTokenDecoder, AuthProperties auth, ExternalUsers externalUsers, Clock clock) {
        Map<String, AuthenticationManager> managers = new HashMap<>();
        managers.put(auth.issuer(), new JwtAuthenticationProvider(
                new VerifiedTokenCache(ownTokenDecoder, clock, VERIFIED_TOKENS))::authenticate);
        for (AuthProperties.ExternalIssuer external : auth.externalIssuers()) {
            JwtAuthenticationProvider provider = new JwtAuthenticationProvider(
                    new VerifiedTokenCache(externalDecoder(external), clock, VERIFIED_TOKENS));
            provider.setJwtAuthenticationConverter(jwt -> externalUsers.authenticate(jwt, external.issuer()));
            managers.put(external.issuer(), provider::authenticate);
        }
        return new KnownTokenIssuers(managers, VERIFIED_TOKENS, java.time.Duration.ofHours(1));
    }

    private static JwtDecoder externalDecoder(AuthProperties.ExternalIssuer external) {
        NimbusJwtDecoder decoder;
        if (external.secret() != null && !external.secret().isBlank()) {
            byte[] secret = external.secret().getBytes(StandardCharsets.UTF_8);
            decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
        } else if (external.jwkSetUri() != null && !external.jwkSetUri().isBlank()) {
            // Spring's algorithm enum has no EdDSA (Better Auth signs with Ed25519), so the Nimbus processor is
            // built here with the configured algorithms by name; Nimbus verifies EdDSA through Tink.
            Set<JWSAlgorithm> algorithms = external.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
            try {
                JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(external.jwkSetUri()).toURL()).build();
                DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
                processor.setJWSKeySelector(JwksKeys.selector(algorithms, keys));
                processor.setJWSVerifierFactory(JwksKeys.verifierFactory());
                processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
                processor.setJWTClaimsSetVerifier((claims, context) -> {}); // Spring's validators below check the claims
                decoder = new NimbusJwtDecoder(processor);
            } catch (MalformedURLException e) {
                throw new IllegalStateException("jwk-set-uri of " + external.issuer() + " is not a URL", e);
            }
        } else {
            throw new IllegalStateException("External issuer " + external.issuer() + " needs a secret or a jwk-set-uri");
        }
        decoder.setJwtValidator(validators(external.issuer(), external.audience(), null));
        return decoder;
    }

    private static OAuth2TokenValidator<Jwt> validators(
            String issuer, String audience, OAuth2TokenValidator<Jwt> extra) {
        List<OAuth2TokenValidator<Jwt>> all = new java.util.ArrayList<>();
        all.add(JwtValidators.createDefaultWithIssuer(issuer)); // signature is checked by the decoder; this adds exp/nbf (60 s skew) and iss
        all.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull));
        if (audience != null && !audience.isBlank()) {
            all.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)));
        }
        if (extra != null) {
            all.add(extra);
        }
        return new DelegatingOAuth2TokenValidator<>(all);
    }

    @Bean
    SecurityFilterChain securityFilterChain(
            HttpSecurity http,
            AuthenticationManagerResolver<HttpServletRequest> issuerResolver,
            ProblemAuthenticationEntryPoint entryPoint,
            ProblemAccessDeniedHandler accessDeniedHandler,
            dev.todoapi.auth.StreamTickets streamTickets,
            tools.jackson.databind.json.JsonMapper json) throws Exception {
        http.csrf(csrf -> csrf.disable()) // bearer tokens; the refresh cookie is SameSite=Strict and scoped to /api/v1/auth
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .cors(Customizer.withDefaults())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(Customizer.withDefaults())
                .headers(headers -> headers
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                        .frameOptions(frame -> frame.deny()))
                .addFilterBefore(new StreamTicketFilter(streamTickets, json),
                        org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        // An event stream's later (async) dispatches: its request was authenticated when it opened.
                        .dispatcherTypeMatchers(jakarta.servlet.DispatcherType.ASYNC).permitAll()
                        .requestMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        .requestMatchers(HttpMethod.POST,
                                "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout",
                                "/api/auth/signup", "/api/auth/signin")
                        .permitAll()
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().permitAll())
                .oauth2ResourceServer(oauth -> oauth
                        .authenticationManagerResolver(issuerResolver)
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDeniedHandler)
                        // RFC 9728 metadata that is true: bearer tokens in the Authorization header, not bound
                        // to client certificates (Spring's default claims they are).
                        .protectedResourceMetadata(metadata -> metadata.protectedResourceMetadataCustomizer(builder -> builder
                                .resourceName("Todo API")
                                .claims(claims -> claims.remove("tls_client_certificate_bound_access_tokens")))))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDeniedHandler));
        return http.build();
    }

    @Bean
    CorsConfigurationSource corsConfigurationSource(
            @Value("${todo.cors.allowed-origins}") List<String> allowedOrigins) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(allowedOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList());
        cors.setAllowCredentials(true); // the refresh cookie
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "X-Request-Id",
                "Last-Event-ID"));
        cors.setExposedHeaders(List.of("ETag", "Location", "X-Request-Id", "Retry-After", "RateLimit", "RateLimit-Policy"));
        cors.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }
}
