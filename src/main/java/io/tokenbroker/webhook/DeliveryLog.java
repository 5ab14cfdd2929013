package io.tokenbroker.webhook;

import static io.tokenbroker.webhook.EndpointStore.instant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reading the delivery log: an endpoint's or an app's deliveries, newest first, each with its attempts. */
@Component
public class DeliveryLog {

	public static final int MAX_PAGE = 100;

	private static final int MAX_ATTEMPTS_SHOWN = 50;

	private final JdbcClient jdbc;

	DeliveryLog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** One attempt: when, the endpoint's HTTP status (null when it did not answer), why it failed, how long it took. */
	public record DeliveryAttempt(Instant at, Integer statusCode, String error, int latencyMs, Instant nextAttemptAt) {
	}

	/** A delivery of one event to one endpoint. */
	public record DeliveryEntry(String id, String endpointId, String eventId, String eventType, long sequence,
			String status, int attempts, Integer lastStatusCode, String lastError, Integer lastLatencyMs, Instant lastAttemptAt,
			Instant nextAttemptAt, Instant createdAt, Instant finishedAt, List<DeliveryAttempt> attemptLog) {
	}

	/** A page and the cursor of the next one (null on the last page). */
	public record DeliveryPage(List<DeliveryEntry> deliveries, String nextCursor) {
	}

	DeliveryPage forEndpoint(String appId, String endpointId, Long before, int limit) {
		return page("d.app_id = ? and d.endpoint_id = ?", List.of(appId, endpointId), before, limit);
	}

	/** The app's most recent deliveries, for the console. */
	public List<DeliveryEntry> recent(String appId, int limit) {
		return page("d.app_id = ?", List.of(appId), null, limit).deliveries();
	}

	private DeliveryPage page(String where, List<Object> params, Long before, int limit) {
		int size = Math.max(1, Math.min(limit, MAX_PAGE));
		List<Object> all = new ArrayList<>(params);
		if (before != null) {
			all.add(before);
		}
		all.add(size + 1);
		List<DeliveryEntry> entries = this.jdbc.sql("""
				select d.id, d.endpoint_id, d.event_id, e.type, e.sequence, d.status, d.attempts, d.last_status,
				       d.last_error, d.last_latency_ms, d.last_attempt_at, d.next_attempt_at, d.created_at, d.finished_at
				from webhook_delivery d join webhook_event e on e.id = d.event_id
				where %s %s
				order by d.id desc limit ?
				""".formatted(where, (before != null) ? "and d.id < ?" : ""))
			.params(all)
			.query((rs, n) -> new DeliveryEntry(Long.toString(rs.getLong(1)), rs.getString(2), rs.getString(3),
					rs.getString(4), rs.getLong(5), rs.getString(6).toLowerCase(Locale.ROOT), rs.getInt(7),
					(Integer) rs.getObject(8, Integer.class), rs.getString(9), rs.getObject(10, Integer.class),
					instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)),
					instant(rs.getTimestamp(14)), List.of()))
			.list();
		boolean more = entries.size() > size;
		List<DeliveryEntry> page = withAttempts(more ? entries.subList(0, size) : entries);
		return new DeliveryPage(page, more ? page.get(page.size() - 1).id() : null);
	}

	private List<DeliveryEntry> withAttempts(List<DeliveryEntry> entries) {
		if (entries.isEmpty()) {
			return entries;
		}
		Map<String, List<DeliveryAttempt>> attempts = new LinkedHashMap<>();
		this.jdbc.sql("""
				select delivery_id, attempted_at, status_code, error, latency_ms, next_attempt_at from webhook_attempt
				where delivery_id in (%s) order by id
				""".formatted(String.join(",", Collections.nCopies(entries.size(), "?"))))
			.params(entries.stream().map((e) -> (Object) Long.valueOf(e.id())).toList())
			.query((rs) -> {
				List<DeliveryAttempt> list = attempts.computeIfAbsent(Long.toString(rs.getLong(1)), (id) -> new ArrayList<>());
				if (list.size() < MAX_ATTEMPTS_SHOWN) {
					list.add(new DeliveryAttempt(instant(rs.getTimestamp(2)), rs.getObject(3, Integer.class), rs.getString(4),
							rs.getInt(5), instant(rs.getTimestamp(6))));
				}
			});
		return entries.stream()
			.map((e) -> new DeliveryEntry(e.id(), e.endpointId(), e.eventId(), e.eventType(), e.sequence(), e.status(),
					e.attempts(), e.lastStatusCode(), e.lastError(), e.lastLatencyMs(), e.lastAttemptAt(),
					e.nextAttemptAt(), e.createdAt(), e.finishedAt(), attempts.getOrDefault(e.id(), List.of())))
			.toList();
	}

}
