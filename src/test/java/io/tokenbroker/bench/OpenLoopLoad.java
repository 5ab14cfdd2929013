package io.tokenbroker.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * An open-loop HTTP load generator for bench/latency.sh (not a test): requests are due at a constant rate whatever the
 * server does, and each one's latency is measured from the moment it was due, not from when it could be sent, so a
 * server that stalls is charged for every request that queued behind the stall (no coordinated omission). The model is
 * wrk2's and vegeta's: a due request goes out on an idle keep-alive connection, or on a new one while fewer than
 * {@code max-connections} are open, or waits for the next connection that becomes free, its clock running.
 *
 * <p>One selector thread does all the I/O; a ticker thread only wakes it when the next request is due (the selector's
 * own timeout has a granularity of a millisecond, much longer than the gaps between requests).
 *
 * <p>Usage: {@code OpenLoopLoad HOST PORT PATH RATE WARMUP_SECONDS SECONDS TOKENS|- MAX_CONNECTIONS LABEL}: requests
 * due in the first WARMUP_SECONDS (the generator's own JIT warm-up, new connections) are sent but not counted. Prints
 * one line {@code RESULT label rate achieved_rps p50_ms p99_ms p999_ms max_ms errors requests}, where errors counts
 * non-2xx answers, broken connections and requests still unanswered 5 s after the run. With
 * {@code -Dtimeline=FILE} it also writes, per second of intended send time, the requests answered and their worst
 * latency ({@code second answered max_ms}), which shows when a stall happened and how long its queue took to drain.
 */
public final class OpenLoopLoad {

	private static final long DRAIN_NANOS = 5_000_000_000L;

	private final InetSocketAddress address;

	private final List<byte[]> requests;

	private final long intervalNanos;

	private final long warmupNanos;

	private final long durationNanos;

	/** Requests due before this are not counted. */
	private long countFrom;

	private final int maxConnections;

	private final Selector selector;

	private final ArrayDeque<Connection> idle = new ArrayDeque<>();

	/** Intended send times of due requests that found no idle connection. */
	private final ArrayDeque<Long> waiting = new ArrayDeque<>();

	private final Histogram latencies = new Histogram(60_000_000_000L, 3);

	/** Per second of intended send time (counted requests only): answers, and the worst latency in nanoseconds. */
	private final long[] answeredPerSecond;

	private final long[] maxPerSecond;

	private int open;

	/** Requests due so far, and those of them counted. */
	private long scheduled;

	private long issued;

	private long answered;

	private long errors;

	private OpenLoopLoad(InetSocketAddress address, List<byte[]> requests, double rate, long warmupSeconds,
			long seconds, int maxConnections) throws IOException {
		this.address = address;
		this.requests = requests;
		this.intervalNanos = Math.max(1, (long) (1_000_000_000L / rate));
		this.warmupNanos = warmupSeconds * 1_000_000_000L;
		this.durationNanos = seconds * 1_000_000_000L;
		this.maxConnections = maxConnections;
		this.selector = Selector.open();
		this.answeredPerSecond = new long[(int) seconds + 1];
		this.maxPerSecond = new long[(int) seconds + 1];
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 9) {
			throw new IllegalArgumentException(
					"usage: HOST PORT PATH RATE WARMUP_SECONDS SECONDS TOKENS|- MAX_CONNECTIONS LABEL");
		}
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		List<byte[]> requests = (args[6].equals("-")) ? List.of(request(host, port, args[2], null))
				: Files.readAllLines(Path.of(args[6]))
					.stream()
					.filter((line) -> !line.isBlank())
					.map((token) -> request(host, port, args[2], token.strip()))
					.toList();
		double rate = Double.parseDouble(args[3]);
		OpenLoopLoad load = new OpenLoopLoad(new InetSocketAddress(host, port), requests, rate,
				Long.parseLong(args[4]), Long.parseLong(args[5]), Integer.parseInt(args[7]));
		long elapsed = load.run();
		Histogram h = load.latencies;
		System.out.printf(Locale.ROOT, "RESULT %s %.0f %.1f %.3f %.3f %.3f %.3f %d %d%n", args[8], rate,
				(load.answered - load.errors) * 1e9 / elapsed, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
				h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6, load.errors + (load.issued - load.answered),
				load.issued);
		String timeline = System.getProperty("timeline");
		if (timeline != null) {
			Files.write(Path.of(timeline), load.timeline());
		}
	}

	private List<String> timeline() {
		List<String> lines = new java.util.ArrayList<>();
		for (int second = 0; second < this.answeredPerSecond.length; second++) {
			lines.add(String.format(Locale.ROOT, "%d %d %.3f", second, this.answeredPerSecond[second],
					this.maxPerSecond[second] / 1e6));
		}
		return lines;
	}

	private static byte[] request(String host, int port, String path, String token) {
		String authorization = (token != null) ? "Authorization: Bearer " + token + "\r\n" : "";
		return ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + authorization
				+ "Accept: application/json\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	/** Runs the schedule, then waits up to 5 s for the answers still out; returns the nanoseconds taken. */
	private long run() throws IOException {
		long start = System.nanoTime();
		this.countFrom = start + this.warmupNanos;
		Thread ticker = new Thread(() -> tick(start), "ticker");
		ticker.setDaemon(true);
		ticker.start();
		long end = this.countFrom + this.durationNanos;
		while (true) {
			long now = System.nanoTime();
			if (now < end) {
				issueDue(start, Math.min(now, end));
			}
			else if (this.answered >= this.issued || now - end > DRAIN_NANOS) {
				break;
			}
			this.selector.select(100);
			for (SelectionKey key : this.selector.selectedKeys()) {
				((Connection) key.attachment()).ready(key);
			}
			this.selector.selectedKeys().clear();
		}
		ticker.interrupt();
		long elapsed = Math.min(System.nanoTime(), end) - this.countFrom;
		for (SelectionKey key : this.selector.keys()) {
			key.channel().close();
		}
		return elapsed;
	}

	/** Wakes the selector thread whenever a request falls due. */
	private void tick(long start) {
		long next = start;
		while (!Thread.currentThread().isInterrupted()) {
			next += this.intervalNanos;
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			this.selector.wakeup();
		}
	}

	private void issueDue(long start, long now) throws IOException {
		long due = (now - start) / this.intervalNanos + 1;
		for (; this.scheduled < due; this.scheduled++) {
			long intended = start + this.scheduled * this.intervalNanos;
			if (intended >= this.countFrom) {
				this.issued++;
			}
			Connection connection = this.idle.pollLast();
			if (connection == null && this.open < this.maxConnections) {
				connection = new Connection();
			}
			if (connection == null) {
				this.waiting.addLast(intended);
			}
			else {
				connection.send(intended);
			}
		}
	}

	private void recordAnswer(long intended, boolean success) {
		if (intended < this.countFrom) {
			return;
		}
		this.answered++;
		if (success) {
			long latency = Math.min(System.nanoTime() - intended, this.latencies.getHighestTrackableValue());
			this.latencies.recordValue(latency);
			int second = (int) Math.min((intended - this.countFrom) / 1_000_000_000L, this.maxPerSecond.length - 1);
			this.answeredPerSecond[second]++;
			this.maxPerSecond[second] = Math.max(this.maxPerSecond[second], latency);
		}
		else {
			this.errors++;
		}
	}

	/** Gives a free connection the oldest waiting request, or parks it as idle. */
	private void free(Connection connection) throws IOException {
		Long intended = this.waiting.pollFirst();
		if (intended != null) {
			connection.send(intended);
		}
		else {
			this.idle.addLast(connection);
		}
	}

	/** One keep-alive connection with at most one request in flight. */
	private final class Connection {

		private final SocketChannel channel;

		private final SelectionKey key;

		private final ResponseParser parser = new ResponseParser();

		private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);

		private ByteBuffer out;

		private long intended;

		Connection() throws IOException {
			this.channel = SocketChannel.open();
			this.channel.configureBlocking(false);
			this.channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
			boolean connected = this.channel.connect(OpenLoopLoad.this.address);
			this.key = this.channel.register(OpenLoopLoad.this.selector,
					connected ? 0 : SelectionKey.OP_CONNECT, this);
			OpenLoopLoad.this.open++;
		}

		void send(long intended) throws IOException {
			this.intended = intended;
			List<byte[]> all = OpenLoopLoad.this.requests;
			this.out = ByteBuffer.wrap(all.get(ThreadLocalRandom.current().nextInt(all.size())));
			this.parser.reset();
			if (this.channel.isConnected()) {
				write();
			}
		}

		void ready(SelectionKey key) {
			try {
				if (key.isConnectable()) {
					this.channel.finishConnect();
					this.key.interestOps(SelectionKey.OP_READ);
					if (this.out != null) {
						write();
					}
					return;
				}
				if (key.isWritable()) {
					write();
				}
				if (key.isValid() && key.isReadable()) {
					read();
				}
			}
			catch (IOException ex) {
				broken();
			}
		}

		private void write() throws IOException {
			this.channel.write(this.out);
			this.key.interestOps(this.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
		}

		private void read() throws IOException {
			this.in.clear();
			int n = this.channel.read(this.in);
			if (n < 0) {
				// Idle connections are closed by the server after its keep-alive timeout: not an error.
				broken();
				return;
			}
			this.in.flip();
			if (this.out == null) {
				return;
			}
			if (this.parser.feed(this.in)) {
				this.out = null;
				// Read interest stays on while idle, to notice the server closing the connection.
				this.key.interestOps(SelectionKey.OP_READ);
				recordAnswer(this.intended, this.parser.status() / 100 == 2);
				if (this.parser.keepAlive()) {
					free(this);
				}
				else {
					reopen();
				}
			}
		}

		/**
		 * The connection broke. A request that had no byte of answer yet is sent again on a fresh connection, its clock
		 * still running (the server may have closed an idle keep-alive connection just as the request went out, as
		 * HTTP clients assume for idempotent requests); one that broke mid-answer is an error.
		 */
		private void broken() {
			try {
				if (this.out != null && !this.parser.started()) {
					long retry = this.intended;
					close();
					new Connection().send(retry);
					return;
				}
				if (this.out != null) {
					recordAnswer(this.intended, false);
					this.out = null;
				}
				reopen();
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot connect to " + OpenLoopLoad.this.address, ex);
			}
		}

		private void reopen() throws IOException {
			close();
			free(new Connection());
		}

		private void close() throws IOException {
			this.key.cancel();
			this.channel.close();
			OpenLoopLoad.this.open--;
			OpenLoopLoad.this.idle.remove(this);
		}

	}

}
