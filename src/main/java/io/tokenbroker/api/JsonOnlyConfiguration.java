package io.tokenbroker.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The API speaks JSON only. Spring MVC adds a YAML converter whenever a YAML library is on the class path (the OpenAPI
 * generator brings one), which would let every route read YAML bodies and answer in YAML: a second parser in front of
 * every route, and a format the documentation, the OpenAPI document and the tests never mention.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyConfiguration implements WebMvcConfigurer {

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.configureMessageConvertersList((converters) -> converters.removeIf(JsonOnlyConfiguration::speaksYaml));
	}

	private static boolean speaksYaml(HttpMessageConverter<?> converter) {
		return converter.getSupportedMediaTypes().stream().anyMatch((type) -> type.getSubtype().contains("yaml"));
	}

}
