package io.queueview.http.auth;

import io.queueview.http.error.ApiError;
/**
 * The one way a presented token becomes a {@link Caller}: every route authenticates through it, so every kind of
 * token ends in the same 401 and 403 answers. Implementations never log the token or what it carries.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @throws ApiError 401 when the token is missing, malformed, expired or unknown; 503 when it cannot be checked
     *                  now (its signing keys cannot be fetched)
     */
    Caller authenticate(String token);

    /**
     * Tokens from the tokens file beside JWTs: a value shaped like a JWT goes to the JWT verifier, anything else to
     * the file. Without a verifier (JWT not configured) every value goes to the file, where a JWT is just unknown.
     */
    static Authenticator either(TokenFile file, JwtVerifier jwt) {
        if (jwt == null) {
            return file;
        }
        return token -> JwtVerifier.looksLikeJwt(token) ? jwt.authenticate(token) : file.authenticate(token);
    }
}
