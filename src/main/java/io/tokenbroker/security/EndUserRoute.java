package io.tokenbroker.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route an end user calls with their own token (verified with the end-user keys). Service credentials are refused
 * on it, as end-user tokens are on every other route.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EndUserRoute {

}
