package io.tokenbroker.security;

import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.problem.Problems;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** What every request passes before any credential is looked at: secret query values hidden, odd URLs refused. */
@Configuration(proxyBeanMethods = false)
class RequestHardening {

	/** First of all filters, so that nothing after it (security, MVC, their DEBUG logs) sees secret query values. */
	@Bean
	FilterRegistrationBean<QueryStringRedaction> queryStringRedaction() {
		FilterRegistrationBean<QueryStringRedaction> registration = new FilterRegistrationBean<>(
				new QueryStringRedaction());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/** Right after it: a malformed Accept header is refused before any handler can store a change. */
	@Bean
	FilterRegistrationBean<AcceptHeaderCheck> acceptHeaderCheck() {
		FilterRegistrationBean<AcceptHeaderCheck> registration = new FilterRegistrationBean<>(new AcceptHeaderCheck());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

	/** URLs the firewall rejects ({@code //}, {@code ..}, encoded slashes) get a problem, not an empty 400. */
	@Bean
	RequestRejectedHandler problemRequestRejectedHandler() {
		return (request, response, ex) -> Problems.write(response, HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST,
				"The request URL is not acceptable (double slashes, '..' segments and encoded slashes are refused).");
	}

	/** Spring Security's default firewall, with the same header rules checked faster (see HeaderValues). */
	@Bean
	HttpFirewall httpFirewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames(HeaderValues::allowedName);
		firewall.setAllowedHeaderValues(HeaderValues::allowed);
		return firewall;
	}

}
