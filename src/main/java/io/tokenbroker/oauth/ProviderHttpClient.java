package io.tokenbroker.oauth;

import java.net.URI;
import java.util.Map;

import feign.Response;

import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;

/**
 * The one HTTP client that talks to providers' OAuth endpoints. The target is given per call (catalog data); the raw
 * {@link Response} comes back whatever its status, because error bodies carry the OAuth error.
 */
@FeignClient(name = "provider-oauth", url = "https://provider.invalid",
		configuration = ProviderHttpClientConfiguration.class)
interface ProviderHttpClient {

	@PostMapping
	Response post(URI endpoint, @RequestHeader Map<String, String> headers, @RequestBody String body);

}
