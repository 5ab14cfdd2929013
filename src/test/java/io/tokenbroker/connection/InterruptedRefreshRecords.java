package io.tokenbroker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokenbroker.support.BrokerReplicas;
import io.tokenbroker.support.TestDatabase;

/**
 * Where an interrupted refresh shows to operators and apps: the metric of every replica, the audit trail and the
 * webhook outbox. The trail and the outbox are written after the fact, so their rows are awaited.
 */
final class InterruptedRefreshRecords {

	private final BrokerReplicas replicas;

	InterruptedRefreshRecords(BrokerReplicas replicas) {
		this.replicas = replicas;
	}

	/** {@code broker_refresh_interrupted_total} for {@code outcome} ({@code lost} or {@code recovered}), all replicas. */
	double count(String outcome) {
		Pattern pattern = Pattern.compile("(?m)^broker_refresh_interrupted_total\\{[^}]*outcome=\"" + outcome
				+ "\"[^}]*} ([0-9.E]+)$");
		double sum = 0;
		for (int replica = 0; replica < this.replicas.size(); replica++) {
			Matcher matcher = pattern
				.matcher(this.replicas.managementClient(replica).get("/actuator/prometheus", null).body());
			while (matcher.find()) {
				sum += Double.parseDouble(matcher.group(1));
			}
		}
		return sum;
	}

	/** Awaits the audit record and the webhook event of a connection of {@code app} lost to an interrupted refresh. */
	void awaitLost(String app) throws Exception {
		awaitRow("select count(*) from audit_event where app_id = ? and action = 'connection.refresh_interrupted'"
				+ " and lower(outcome) = 'failure' and reason = 'reauthorization_required'", app);
		awaitRow("select count(*) from webhook_event where app_id = ? and type = 'connection.reauthorization_required'"
				+ " and data like '%refresh_interrupted%'", app);
	}

	/** Awaits the audit record of a connection of {@code app} recovered from an interrupted refresh. */
	void awaitRecovered(String app) throws Exception {
		awaitRow("select count(*) from audit_event where app_id = ? and action = 'connection.refresh_interrupted'"
				+ " and lower(outcome) = 'success'", app);
	}

	private void awaitRow(String countQuery, String app) throws Exception {
		Instant deadline = Instant.now().plusSeconds(10);
		try (Connection c = DriverManager.getConnection(this.replicas.databaseUrl(), TestDatabase.username(),
				TestDatabase.password()); PreparedStatement query = c.prepareStatement(countQuery)) {
			query.setString(1, app);
			while (true) {
				try (ResultSet rs = query.executeQuery()) {
					rs.next();
					if (rs.getLong(1) > 0) {
						return;
					}
				}
				assertThat(Instant.now()).as(countQuery).isBefore(deadline);
				Thread.sleep(100);
			}
		}
	}

}
