package io.tokenbroker.connection;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;

import org.postgresql.copy.CopyIn;

/** Streams a writer's bytes into a PostgreSQL COPY, for the benchmarks' seeders. */
final class CopyOutputStream extends OutputStream {

	private final CopyIn copy;

	CopyOutputStream(CopyIn copy) {
		this.copy = copy;
	}

	@Override
	public void write(int b) throws IOException {
		write(new byte[] { (byte) b }, 0, 1);
	}

	@Override
	public void write(byte[] b, int off, int len) throws IOException {
		try {
			this.copy.writeToCopy(b, off, len);
		}
		catch (SQLException ex) {
			throw new IOException(ex);
		}
	}

	@Override
	public void close() {
		// endCopy() finishes the COPY.
	}

}
