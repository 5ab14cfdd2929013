package io.tokenbroker.problem;

import org.apache.catalina.core.StandardHost;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Lets Spring Security's firewall, not Tomcat, refuse encoded slashes (so the answer is a problem), and replaces
 * Tomcat's HTML error page for what it still refuses itself.
 */
@Component
class TomcatProblemCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addConnectorCustomizers((connector) -> connector
			.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
		factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
			}
		});
	}

}
