package io.tokenbroker.support;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Stands in front of the strict server's token endpoint and sees every request: counts each use of each refresh
 * token, the refresh tokens issued, and the refusals; serializes the uses of each refresh token, so that the check "is
 * this refresh token current?" and its rotation are atomic; revokes the grant of a refresh token used twice and keeps
 * when each access token was superseded ({@link GrantFamilies}); and can make the endpoint fail, slow, or rate
 * limited. In front of the revocation endpoint it notes each token presented.
 */
public final class TokenEndpointMonitor implements Filter {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Map<String, Object> locks = new ConcurrentHashMap<>();

	/** Refresh tokens whose use the server has answered (a use still in progress is not counted yet). */
	private final Set<String> answered = ConcurrentHashMap.newKeySet();

	private final Map<String, AtomicInteger> refreshTokenUses = new ConcurrentHashMap<>();

	private final Set<String> issuedRefreshTokens = ConcurrentHashMap.newKeySet();

	private final AtomicInteger refreshRequests = new AtomicInteger();

	private final AtomicInteger refreshesGranted = new AtomicInteger();

	private final AtomicInteger invalidGrants = new AtomicInteger();

	private final AtomicInteger refused = new AtomicInteger();

	private final List<String> revoked = new CopyOnWriteArrayList<>();

	private final AtomicInteger inProgress = new AtomicInteger();

	private final GrantFamilies families;

	private volatile boolean down;

	private volatile Duration refreshDelay = Duration.ZERO;

	private volatile Duration rateLimitedRetryAfter;

	private final AtomicInteger answersToHold = new AtomicInteger();

	private volatile Duration answerHold = Duration.ZERO;

	private final AtomicInteger requestsToLose = new AtomicInteger();

	private volatile Duration requestLoss = Duration.ZERO;

	TokenEndpointMonitor(GrantFamilies families) {
		this.families = families;
	}

	@Override
	public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest request = (HttpServletRequest) req;
		HttpServletResponse response = (HttpServletResponse) res;
		if (request.getRequestURI().endsWith("/revoke")) {
			this.revoked.add(String.valueOf(request.getParameter("token")));
			chain.doFilter(request, response);
			return;
		}
		String grantType = request.getParameter("grant_type");
		boolean refresh = "refresh_token".equals(grantType);
		if (refresh) {
			this.refreshRequests.incrementAndGet();
		}
		if (this.down) {
			// An outage: the request never reaches the server, so no token is used.
			this.refused.incrementAndGet();
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			return;
		}
		Duration retryAfter = this.rateLimitedRetryAfter;
		if (refresh && retryAfter != null) {
			this.refused.incrementAndGet();
			response.setStatus(429);
			response.setHeader("Retry-After", Long.toString(retryAfter.toSeconds()));
			return;
		}
		if (refresh && takeOne(this.requestsToLose)) {
			// Lost on its way: held until the client gave up, and never processed, so no token is used.
			sleep(this.requestLoss);
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			return;
		}
		ContentCachingResponseWrapper wrapped = new ContentCachingResponseWrapper(response);
		if (refresh) {
			this.inProgress.incrementAndGet();
			try {
				String refreshToken = request.getParameter("refresh_token");
				this.refreshTokenUses.computeIfAbsent(refreshToken, (t) -> new AtomicInteger()).incrementAndGet();
				// Uses of one refresh token are serialized, so that checking it and rotating it is atomic.
				synchronized (this.locks.computeIfAbsent(refreshToken, (t) -> new Object())) {
					boolean reused = this.answered.contains(refreshToken);
					chain.doFilter(request, wrapped);
					// Its successor first, then the token as used: the count of unused tokens never dips in between.
					observe(refreshToken, wrapped);
					this.answered.add(refreshToken);
					if (reused) {
						this.families.reused(refreshToken);
					}
				}
				// A slow provider: the token is already rotated when the answer is still on its way.
				Duration delay = takeOne(this.answersToHold) ? this.answerHold : this.refreshDelay;
				if (!delay.isZero()) {
					sleep(delay);
				}
				wrapped.copyBodyToResponse();
			}
			finally {
				this.inProgress.decrementAndGet();
			}
			return;
		}
		chain.doFilter(request, wrapped);
		observe(null, wrapped);
		wrapped.copyBodyToResponse();
	}

	/** One answer of the token endpoint; {@code used} is the refresh token presented, null for a code exchange. */
	private void observe(String used, ContentCachingResponseWrapper response) {
		byte[] body = response.getContentAsByteArray();
		JsonNode json = (body.length > 0) ? JSON.readTree(body) : null;
		if (response.getStatus() == 200 && json != null && json.hasNonNull("refresh_token")) {
			this.issuedRefreshTokens.add(json.get("refresh_token").asString());
			if (used != null) {
				this.refreshesGranted.incrementAndGet();
			}
		}
		if (response.getStatus() == 200 && json != null && json.hasNonNull("access_token")) {
			this.families.issued(used, json.get("access_token").asString(),
					json.hasNonNull("refresh_token") ? json.get("refresh_token").asString() : null);
		}
		if (response.getStatus() == 400 && json != null && "invalid_grant".equals(json.path("error").asString(""))) {
			this.invalidGrants.incrementAndGet();
		}
	}

	/** The token endpoint answers 503 to everything while down. */
	public void down(boolean down) {
		this.down = down;
	}

	/** Refresh answers are held back this long (after the token has rotated). */
	public void refreshDelay(Duration delay) {
		this.refreshDelay = delay;
	}

	/**
	 * The next {@code count} refresh answers are held back for {@code hold} after the tokens rotated: a client that
	 * stops waiting earlier has spent its refresh token without learning its successor.
	 */
	public void holdRefreshAnswers(int count, Duration hold) {
		this.answerHold = hold;
		this.answersToHold.set(count);
	}

	/**
	 * The next {@code count} refresh requests are held for {@code hold} and then dropped before the server sees them
	 * (a request or answer lost on the way): nothing rotates, and the client gets no answer in time.
	 */
	public void loseRefreshRequests(int count, Duration hold) {
		this.requestLoss = hold;
		this.requestsToLose.set(count);
	}

	private static boolean takeOne(AtomicInteger remaining) {
		return remaining.getAndUpdate((n) -> (n > 0) ? n - 1 : 0) > 0;
	}

	/** Refresh requests get 429 with this Retry-After (null: no rate limiting). */
	public void rateLimit(Duration retryAfter) {
		this.rateLimitedRetryAfter = retryAfter;
	}

	/** The tokens presented to the revocation endpoint, in order. */
	public List<String> revokedTokens() {
		return List.copyOf(this.revoked);
	}

	/** Refresh requests received, including refused ones. */
	public int refreshRequests() {
		return this.refreshRequests.get();
	}

	public int refreshesGranted() {
		return this.refreshesGranted.get();
	}

	/** Token requests answered {@code invalid_grant} (a refresh token reused, revoked, or unknown). */
	public int invalidGrants() {
		return this.invalidGrants.get();
	}

	/** Requests turned away by an outage or rate limiting. */
	public int refused() {
		return this.refused.get();
	}

	/** How often each refresh token was presented to the server (outages and rate limiting aside). */
	public Map<String, Integer> refreshTokenUses() {
		Map<String, Integer> uses = new ConcurrentHashMap<>();
		this.refreshTokenUses.forEach((token, count) -> uses.put(token, count.get()));
		return uses;
	}

	/**
	 * Refresh tokens issued and not used: exactly one per live grant when nothing was lost. A use still in progress
	 * counts once answered, when its successor is issued, so the count holds while refreshes run.
	 */
	public long unusedRefreshTokens() {
		return this.issuedRefreshTokens.stream().filter((t) -> !this.answered.contains(t)).count();
	}

	public int issuedRefreshTokens() {
		return this.issuedRefreshTokens.size();
	}

	/** Refresh requests received and not answered yet (an answer held back counts until it is sent). */
	public int refreshesInProgress() {
		return this.inProgress.get();
	}

	/** Grants revoked because one of their refresh tokens was presented again. */
	public int revokedGrants() {
		return this.families.revokedFamilies();
	}

	/** When {@code accessToken} stopped being valid at this server (superseded or revoked), or null if it is valid. */
	public Instant revokedAt(String accessToken) {
		return this.families.revokedAt(accessToken);
	}

	void revoked(String accessToken) {
		this.families.revoked(accessToken);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
