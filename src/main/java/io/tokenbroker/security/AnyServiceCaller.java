package io.tokenbroker.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route for any valid service credential, whatever its scopes: for reads that only ever show the caller's own app
 * what it started itself. Prefer {@link RequiresScope}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AnyServiceCaller {

}
