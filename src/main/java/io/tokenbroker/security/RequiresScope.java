package io.tokenbroker.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route for service credentials (service-role JWT, or workspace API key on the Base44 routes) that carry at least one
 * of these {@link Scopes}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RequiresScope {

	/** The scopes that each allow the call. */
	String[] value();

}
