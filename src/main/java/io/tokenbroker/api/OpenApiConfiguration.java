package io.tokenbroker.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springdoc.core.utils.SpringDocUtils;

import io.tokenbroker.security.AppUser;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs}: the native API with its bearer-JWT scheme. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static {
		// Resolved from the verified credentials, never sent as request parameters.
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(ServiceCaller.class, AppUser.class);
	}

	@Bean
	OpenAPI brokerOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Token Broker API")
				.description("Connect an app's accounts through OAuth and fetch fresh access tokens. "
						+ "Service-role JWT with app_id and scope (connectors:read, connectors:admin).")
				.version("v1"))
			.components(new Components().addSecuritySchemes("serviceToken",
					new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
			.addSecurityItem(new SecurityRequirement().addList("serviceToken"));
	}

}
