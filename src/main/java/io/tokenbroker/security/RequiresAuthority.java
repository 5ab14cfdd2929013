package io.tokenbroker.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route for callers that hold one of these granted authorities, for filter chains with their own sign-in (the
 * console's operators). API routes use {@link RequiresScope}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RequiresAuthority {

	/** The authorities that each allow the call. */
	String[] value();

}
