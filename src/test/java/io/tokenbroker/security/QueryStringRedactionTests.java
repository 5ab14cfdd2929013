package io.tokenbroker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class QueryStringRedactionTests {

	@Test
	void callbackCodeAndStateAreMaskedKeepingNamesAndOtherParameters() {
		assertThat(QueryStringRedaction.redact("state=s3cr3t-state&code=s3cr3t-code&scope=openid+email"))
			.isEqualTo("state=****&code=****&scope=openid+email");
	}

	@Test
	void tokenParametersAreMaskedWhateverTheirCase() {
		assertThat(QueryStringRedaction.redact("Access_Token=abc&refresh_token=def&client_secret=ghi"))
			.isEqualTo("Access_Token=****&refresh_token=****&client_secret=****");
	}

	@Test
	void queryWithoutSecretsIsLeftAsItIs() {
		assertThat(QueryStringRedaction.redact("error=access_denied&&flag")).isEqualTo("error=access_denied&&flag");
	}

	@Test
	void laterFiltersSeeTheMaskedQueryButTheRealParameters() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth/callback");
		request.setQueryString("code=the-code&state=the-state");
		request.addParameter("code", "the-code");
		request.addParameter("state", "the-state");
		AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
		new QueryStringRedaction().doFilter(request, new MockHttpServletResponse(),
				new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
				}, (req, res, chain) -> seen.set((HttpServletRequest) req)));
		assertThat(seen.get().getQueryString()).isEqualTo("code=****&state=****");
		assertThat(seen.get().getParameter("code")).isEqualTo("the-code");
		assertThat(seen.get().getParameter("state")).isEqualTo("the-state");
	}

}
