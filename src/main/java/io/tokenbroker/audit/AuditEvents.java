package io.tokenbroker.audit;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;

/** Reading the trail, for {@code GET /audit-events}: one app's records, newest first, in pages. */
@Service
public class AuditEvents {

	public static final int MAX_PAGE = 500;

	private final AuditStore store;

	AuditEvents(AuditStore store) {
		this.store = store;
	}

	/** A page of records and the cursor of the next page (null on the last one). */
	public record Page(List<Map<String, Object>> events, String nextCursor) {
	}

	public Page find(AuditQuery query, int limit) {
		int size = Math.max(1, Math.min(limit, MAX_PAGE));
		List<AuditRecord> records = this.store.find(query, size + 1);
		boolean more = records.size() > size;
		List<AuditRecord> page = more ? records.subList(0, size) : records;
		List<Map<String, Object>> events = page.stream().map((r) -> {
			Map<String, Object> json = new java.util.LinkedHashMap<String, Object>();
			json.put("id", Long.toString(r.id()));
			json.putAll(AuditJsonLog.toMap(r.event()));
			return json;
		}).toList();
		return new Page(events, more ? Long.toString(page.get(page.size() - 1).id()) : null);
	}

}
