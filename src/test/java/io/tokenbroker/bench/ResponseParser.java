package io.tokenbroker.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Finds the end of one HTTP/1.1 response arriving in pieces (status, Content-Length or chunked body, Connection:
 * close), for {@link OpenLoopLoad}. Reused across responses; allocates only for header lines it must read.
 */
final class ResponseParser {

	private enum State { STATUS, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, DONE }

	private final byte[] line = new byte[16 * 1024];

	private int lineLength;

	private State state;

	private int status;

	private long remaining;

	private boolean chunked;

	private boolean keepAlive;

	private boolean started;

	void reset() {
		this.state = State.STATUS;
		this.lineLength = 0;
		this.status = 0;
		this.remaining = -1;
		this.chunked = false;
		this.keepAlive = true;
		this.started = false;
	}

	int status() {
		return this.status;
	}

	boolean keepAlive() {
		return this.keepAlive;
	}

	/** Whether any byte of the response arrived. */
	boolean started() {
		return this.started;
	}

	/** Consumes what the buffer holds of the response; true once it is complete. */
	boolean feed(ByteBuffer in) {
		this.started |= in.hasRemaining();
		while (in.hasRemaining() && this.state != State.DONE) {
			if (this.state == State.BODY || this.state == State.CHUNK_DATA) {
				int skip = (int) Math.min(this.remaining, in.remaining());
				in.position(in.position() + skip);
				this.remaining -= skip;
				if (this.remaining == 0) {
					this.state = (this.state == State.BODY) ? State.DONE : State.CHUNK_END;
				}
				continue;
			}
			byte b = in.get();
			if (b == '\n') {
				String text = new String(this.line, 0, this.lineLength, StandardCharsets.ISO_8859_1);
				this.lineLength = 0;
				line(text);
			}
			else if (b != '\r' && this.lineLength < this.line.length) {
				this.line[this.lineLength++] = b;
			}
		}
		return this.state == State.DONE;
	}

	private void line(String text) {
		switch (this.state) {
			case STATUS -> {
				this.status = Integer.parseInt(text.substring(9, 12));
				this.state = State.HEADERS;
			}
			case HEADERS -> header(text);
			case CHUNK_SIZE -> {
				int end = text.indexOf(';');
				this.remaining = Long.parseLong(((end < 0) ? text : text.substring(0, end)).strip(), 16);
				this.state = (this.remaining == 0) ? State.TRAILERS : State.CHUNK_DATA;
			}
			case CHUNK_END -> this.state = State.CHUNK_SIZE;
			case TRAILERS -> this.state = text.isEmpty() ? State.DONE : State.TRAILERS;
			default -> throw new IllegalStateException("unexpected line in state " + this.state);
		}
	}

	private void header(String text) {
		if (text.isEmpty()) {
			if (this.chunked) {
				this.state = State.CHUNK_SIZE;
			}
			else if (this.remaining > 0) {
				this.state = State.BODY;
			}
			else {
				this.state = State.DONE;
			}
			return;
		}
		int colon = text.indexOf(':');
		if (colon < 0) {
			return;
		}
		String name = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
		String value = text.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
		switch (name) {
			case "content-length" -> this.remaining = Long.parseLong(value);
			case "transfer-encoding" -> this.chunked = value.contains("chunked");
			case "connection" -> this.keepAlive = !value.contains("close");
			default -> {
			}
		}
	}

}
