package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the lookup may skip on: only literal first segments, compared only when Spring MVC would not decode them. */
class FirstSegmentHandlerMappingTests {

	@Test
	void onlyALiteralFirstSegmentOfAPatternNarrowsTheLookup() {
		assertThat(FirstSegmentHandlerMapping.literalFirstSegment("/connectors/{type}/connection"))
			.isEqualTo("connectors");
		assertThat(FirstSegmentHandlerMapping.literalFirstSegment("/error")).isEqualTo("error");
		assertThat(FirstSegmentHandlerMapping.literalFirstSegment("/v3/api-docs")).isEqualTo("v3");
		for (String anything : new String[] { "/", "", "/**", "/{*path}", "/{id}/x", "/api*/x", "/a?c", "x/y" }) {
			assertThat(FirstSegmentHandlerMapping.literalFirstSegment(anything)).as(anything).isNull();
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
