package io.tokenbroker.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes the JDK's HTTP client refuses to send (a forged Host, CR/LF in header values, invalid UTF-8, a
 * malformed request line) and reads the raw answer until the server closes, or for at most 10 seconds. Requests that
 * should be answered at once say {@code Connection: close}.
 */
public final class RawHttp {

	private static final int READ_TIMEOUT_MILLIS = 10_000;

	private RawHttp() {
	}

	/** Sends {@code request} encoded as UTF-8; returns the answer's bytes as ISO-8859-1, empty if none came. */
	public static String exchange(int port, String request) {
		return exchange(port, request.getBytes(StandardCharsets.UTF_8));
	}

	/** Sends {@code request} as it is; returns the answer's bytes as ISO-8859-1, empty if none came. */
	public static String exchange(int port, byte[] request) {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(READ_TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			try {
				for (int n; (n = in.read(buffer)) >= 0;) {
					answer.write(buffer, 0, n);
				}
			}
			catch (SocketTimeoutException | SocketException ex) {
				// A server that stops answering or resets the connection: keep what arrived.
			}
			// ISO-8859-1 maps every byte to one character, so nothing the server sent is hidden or replaced.
			return answer.toString(StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
