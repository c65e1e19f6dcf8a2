package io.queueview.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetParseException;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.queueview.http.error.ApiError;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JWTs signed by a platform, verified with Nimbus JOSE+JWT against the keys of a JWKS (a file or a URL): RS256 and
 * ES256 only — so neither "alg: none" nor an HMAC keyed with a public key can pass — a signature by a key of the set,
 * "exp" (required) and "nbf" within a small clock skew, "iss" and "aud" when configured, and "sub" with the claims
 * that carry the projects and the actions. The key set is cached and fetched again when a token names a key it does
 * not hold (key rotation), at most twice per refresh floor, so a stream of tokens with made-up key ids cannot turn
 * into a stream of fetches. Neither tokens nor claims are logged, nor echoed in an answer.
 */
public final class JwtVerifier implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);

    /** Two fetches at most per floor when tokens name unknown keys (Nimbus's rate limit allows two per interval). */
    public static final Duration REFRESH_FLOOR = Duration.ofSeconds(30);
    /** Keys are fetched again after this even when every token names a known one: revoked keys go in time. */
    private static final Duration KEYS_KEPT = Duration.ofMinutes(5);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    /** Compact JWS: header.payload.signature, each base64url; an empty signature still comes here to be refused. */
    private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final int MOST_CLAIM_VALUES = 1_000;

    /**
     * What a token must carry.
     *
     * @param issuer        the "iss" a token must have, or null to accept any
     * @param audience      a value "aud" must hold, or null to accept any
     * @param projectsClaim the claim with the projects: a list of strings, or a string of space-separated words;
     *                      "*" = every project
     * @param actionsClaim  the claim with the actions, in the same forms
     * @param clockSkew     how far "exp" and "nbf" may be off the local clock
     */
    public record Rules(String issuer, String audience, String projectsClaim, String actionsClaim, Duration clockSkew) {
    }

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Rules rules;
    private final String jwks;

    private JwtVerifier(String jwks, JWKSourceBuilder<SecurityContext> keys, Rules rules, Duration refreshFloor) {
        this.jwks = jwks;
        this.rules = rules;
        JWKSource<SecurityContext> cachedKeys = keys
                .cache(KEYS_KEPT.toMillis(), JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                .refreshAheadCache(false) // no background threads: a fetch happens on a call that needs it
                .rateLimited(refreshFloor.toMillis())
                .build();
        processor = new DefaultJWTProcessor<>();
        // "JWT", RFC 9068's "at+jwt" for access tokens, or no "typ" at all
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, cachedKeys));
        JWTClaimsSet exactMatch = rules.issuer() == null ? null
                : new JWTClaimsSet.Builder().issuer(rules.issuer()).build();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                rules.audience() == null ? null : Set.of(rules.audience()), exactMatch,
                // copyOf: one claim may carry both projects and actions
                Set.copyOf(List.of("sub", "exp", rules.projectsClaim(), rules.actionsClaim())), null);
        claims.setMaxClockSkew((int) rules.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * Keys from a JWKS at an http(s) URL, or else in a file (read at once, so a wrong file stops start-up).
     *
     * @throws IllegalArgumentException naming the location and what is wrong with it
     */
    public static JwtVerifier of(String jwks, Rules rules) {
        return of(jwks, rules, REFRESH_FLOOR);
    }

    /** As {@link #of(String, Rules)}, with another refresh floor (tests); it must be below five minutes. */
    public static JwtVerifier of(String jwks, Rules rules, Duration refreshFloor) {
        if (jwks.startsWith("https://") || jwks.startsWith("http://")) {
            // Nimbus's URL source: short connect and read timeouts, a size limit on the answer
            return new JwtVerifier(jwks, JWKSourceBuilder.create(url(jwks)), rules, refreshFloor);
        }
        JwksFile file = new JwksFile(Path.of(jwks));
        try {
            file.read();
        } catch (KeySourceException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return new JwtVerifier(jwks, JWKSourceBuilder.create(file), rules, refreshFloor);
    }

    /** Whether a presented value has the shape of a compact JWS (three base64url parts). */
    public static boolean looksLikeJwt(String token) {
        return token != null && COMPACT.matcher(token).matches();
    }

    @Override
    public Caller authenticate(String token) {
        if (token == null || token.isBlank()) {
            throw ApiError.unauthorized("X-Auth-Token is missing");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ExpiredJWTException e) {
            throw ApiError.unauthorized("the token has expired");
        } catch (RateLimitReachedException e) { // an unknown key, and the keys were fetched very recently
            throw ApiError.unauthorized("X-Auth-Token is not valid");
        } catch (KeySourceException e) {
            // the JWKS location and the failure; never the token
            LOG.warn("the JWT signing keys could not be fetched from {}: {}", jwks, e.getMessage());
            throw ApiError.unavailable("the token's signing keys cannot be fetched now; retry shortly");
        } catch (ParseException | BadJOSEException | JOSEException e) {
            // Nimbus's messages may quote claims: none of them goes into the answer
            throw ApiError.unauthorized("X-Auth-Token is not valid");
        }
        return new Caller(claims.getSubject(), words(claims, rules.projectsClaim()),
                words(claims, rules.actionsClaim()));
    }

    /** A list of strings, or one string of space-separated words (as OAuth's "scope"); anything else is a 401. */
    private static Set<String> words(JWTClaimsSet claims, String claim) {
        Object value = claims.getClaim(claim);
        List<?> items = value instanceof String text ? Arrays.asList(text.trim().split("\\s+"))
                : value instanceof List<?> list ? list : null;
        if (items == null || items.size() > MOST_CLAIM_VALUES) {
            throw ApiError.unauthorized("the token's claims are not of the expected form");
        }
        Set<String> words = new HashSet<>();
        for (Object item : items) {
            if (!(item instanceof String word)) {
                throw ApiError.unauthorized("the token's claims are not of the expected form");
            }
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return Set.copyOf(words);
    }

    private static URL url(String jwks) {
        try {
            return URI.create(jwks).toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw new IllegalArgumentException("JWKS URL " + jwks + " is not a valid URL: " + e.getMessage());
        }
    }

    /** A JWKS file, read on every fetch: rotating keys is replacing the file. Only public keys are kept. */
    private record JwksFile(Path path) implements JWKSetSource<SecurityContext> {

        JWKSet read() throws KeySourceException {
            try {
                return JWKSet.load(path.toFile()).toPublicJWKSet();
            } catch (IOException e) {
                throw new JWKSetUnavailableException("JWKS file " + path + " is not readable: " + e.getMessage(), e);
            } catch (ParseException e) {
                throw new JWKSetParseException("JWKS file " + path + " is not a JSON Web Key Set: " + e.getMessage(), e);
            }
        }

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refresh, long currentTime, SecurityContext context)
                throws KeySourceException {
            return read();
        }

        @Override
        public void close() {
        }
    }
}
