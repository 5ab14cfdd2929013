package io.tokenbroker.connector;

import java.util.Optional;

import io.tokenbroker.audit.AuditActions;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.problem.BrokerException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What an app tells its end users about itself: the name shown on the connect page, where an end user decides whether
 * to hand an account to the app. An app without a name is shown by its id.
 */
@Component
public class AppProfiles {

	static final int MAX_NAME_LENGTH = 100;

	private final JdbcClient jdbc;

	private final AppRegistry apps;

	private final AuditTrail audit;

	AppProfiles(JdbcClient jdbc, AppRegistry apps, AuditTrail audit) {
		this.jdbc = jdbc;
		this.apps = apps;
		this.audit = audit;
	}

	/** The app's profile; an app that was never used has one without a name. */
	public AppProfile get(String appId) {
		return new AppProfile(appId, displayName(appId).orElse(null));
	}

	/** The name end users see, if the app set one. */
	public Optional<String> displayName(String appId) {
		return this.jdbc.sql("select display_name from app where id = ?")
			.param(appId)
			.query(String.class)
			.optional();
	}

	/** Sets the name end users see ({@code null} or blank removes it). */
	@Transactional
	public AppProfile rename(String appId, String displayName) {
		String name = validName(displayName);
		this.apps.ensureExists(appId);
		this.jdbc.sql("update app set display_name = ? where id = ?").param(name).param(appId).update();
		this.audit.record(AuditEvent.of(AuditActions.APP_UPDATED, appId));
		return new AppProfile(appId, name);
	}

	/** Trimmed, or null for none; refused when it could mislead on a page (control or invisible formatting). */
	private static String validName(String displayName) {
		if (displayName == null || displayName.isBlank()) {
			return null;
		}
		String name = displayName.strip();
		if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
			throw BrokerException.badRequest("displayName must be at most " + MAX_NAME_LENGTH + " characters.");
		}
		boolean printable = name.codePoints().allMatch((c) -> !Character.isISOControl(c)
				&& Character.getType(c) != Character.FORMAT && Character.getType(c) != Character.UNASSIGNED
				// a lone surrogate (half of an emoji) is no text: UTF-8, on the page or in the database, cannot encode it
				&& Character.getType(c) != Character.SURROGATE
				&& Character.getType(c) != Character.LINE_SEPARATOR
				&& Character.getType(c) != Character.PARAGRAPH_SEPARATOR);
		if (!printable) {
			throw BrokerException.badRequest("displayName must be printable text on one line.");
		}
		return name;
	}

	/**
	 * An app's profile.
	 * @param id the app's id
	 * @param displayName the name end users see, or null when the app set none
	 */
	public record AppProfile(String id, String displayName) {

		/** What a page calls the app: its name, else its id. */
		public String shownName() {
			return (this.displayName != null) ? this.displayName : this.id;
		}

	}

}
