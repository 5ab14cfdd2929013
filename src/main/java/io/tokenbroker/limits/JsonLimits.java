package io.tokenbroker.limits;

import java.util.List;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

/**
 * The JSON request bodies the broker parses are flat, so the parser refuses deep nesting, long numbers and long names
 * before they cost stack or CPU ({@code broker.http.max-json-depth}); string sizes are left to the body-size limits
 * (proxy bodies are larger than the API's). Jackson 3 sets these limits on
 * the stream factory, which Spring Boot's customizers cannot reach; this builder replaces Boot's and still applies
 * every customizer.
 */
@Configuration(proxyBeanMethods = false)
class JsonLimits {

	@Bean
	@Scope("prototype")
	JsonMapper.Builder limitedJsonMapperBuilder(List<JsonMapperBuilderCustomizer> customizers,
			@Value("${broker.http.max-json-depth:32}") int maxDepth) {
		StreamReadConstraints constraints = StreamReadConstraints.builder()
			.maxNestingDepth(maxDepth)
			.maxNumberLength(100)
			.maxNameLength(1024)
			.build();
		JsonMapper.Builder builder = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build());
		customizers.forEach((c) -> c.customize(builder));
		return builder;
	}

}
