package io.tokenbroker.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes audit records as single-line JSON on the {@code io.tokenbroker.audit.events} logger, for shipping to a SIEM.
 * Route that logger to its own appender to keep the lines apart from the application log.
 */
final class AuditJsonLog {

	static final String LOGGER = "io.tokenbroker.audit.events";

	private static final Logger log = LoggerFactory.getLogger(LOGGER);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private AuditJsonLog() {
	}

	static void write(List<AuditEvent> events) {
		for (AuditEvent event : events) {
			log.info(JSON.writeValueAsString(toMap(event)));
		}
	}

	/** The wire shape of a record, shared by the JSON log and {@code GET /audit-events}. */
	static Map<String, Object> toMap(AuditEvent e) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("time", e.time().toString());
		map.put("appId", e.appId());
		map.put("actor", e.actor());
		map.put("action", e.action());
		map.put("integrationType", e.integrationType());
		map.put("connectorId", e.connectorId());
		map.put("appUserId", e.appUserId());
		map.put("outcome", e.outcome().wireName());
		map.put("reason", e.reason());
		map.put("requestId", e.requestId());
		map.put("clientAddress", e.clientAddress());
		return map;
	}

}
