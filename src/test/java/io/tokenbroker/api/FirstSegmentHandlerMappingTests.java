package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenbroker.security.RoutePatterns;
import org.junit.jupiter.api.Test;

/** What the lookup may skip on: only literal first segments, compared only when Spring MVC would not decode them. */
class FirstSegmentHandlerMappingTests {

	@Test
	void onlyALiteralFirstSegmentOfAPatternNarrowsTheLookup() {
		assertThat(RoutePatterns.literalFirstSegment("/connectors/{type}/connection"))
			.isEqualTo("connectors");
		assertThat(RoutePatterns.literalFirstSegment("/error")).isEqualTo("error");
		assertThat(RoutePatterns.literalFirstSegment("/v3/api-docs")).isEqualTo("v3");
		for (String anything : new String[] { "/", "", "/**", "/{*path}", "/{id}/x", "/api*/x", "/a?c", "x/y" }) {
			assertThat(RoutePatterns.literalFirstSegment(anything)).as(anything).isNull();
		}
	}

	@Test
	void aPathWhoseFirstSegmentMightBeDecodedIsLookedUpWithoutSkipping() {
		assertThat(FirstSegmentHandlerMapping.firstSegment("/connectors/github/connection")).isEqualTo("connectors");
		assertThat(FirstSegmentHandlerMapping.firstSegment("/error")).isEqualTo("error");
		for (String undecided : new String[] { "/", "", "//x", "/conn%65ctors/x", "/connectors;a=b/x", "x" }) {
			assertThat(FirstSegmentHandlerMapping.firstSegment(undecided)).as(undecided).isNull();
		}
	}

}
