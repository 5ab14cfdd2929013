package io.tokenbroker.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route anyone may call without a credential; its handler does its own checks. Outside the console (whose chain,
 * with its session, takes all of {@code /console/**}) such a route also reads none: a bearer token sent to it is not
 * looked at, so a provider's own tokens, as the dev sandbox receives them, are never taken for the broker's.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PublicRoute {

}
