package io.tokenbroker.limits;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/** A real database that a test can take away (every connection attempt fails) and that counts the connections. */
final class SwitchableDataSource extends DelegatingDataSource {

	private final AtomicInteger connections = new AtomicInteger();

	private volatile boolean down;

	SwitchableDataSource(DataSource database) {
		super(database);
	}

	@Override
	public Connection getConnection() throws SQLException {
		this.connections.incrementAndGet();
		if (this.down) {
			throw new SQLTransientConnectionException("Connection refused (the test took the database away)");
		}
		return super.getConnection();
	}

	void down() {
		this.down = true;
	}

	void up() {
		this.down = false;
	}

	int connections() {
		return this.connections.get();
	}

}
