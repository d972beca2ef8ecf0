package cn.antifraud.gateway.app.admin;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Carries a request body from the event loop to a worker as an {@link InputStream}, with
 * backpressure: the event loop {@linkplain #offer offers} chunks without ever blocking, and stops
 * reading from the socket while more than {@code highWater} bytes wait; the worker's reads turn the
 * socket back on below {@code lowWater}. So memory holds at most about {@code highWater} bytes of
 * the body, whatever its size.
 */
final class ChunkPipe extends InputStream {
    private static final ByteBuf END = io.netty.buffer.Unpooled.EMPTY_BUFFER;

    private final LinkedBlockingQueue<ByteBuf> chunks = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final long highWater;
    private final long lowWater;
    private final Duration stallTimeout;
    private final Runnable pauseReading;
    private final Runnable resumeReading;
    private volatile boolean paused;
    private volatile String abortReason;
    private volatile boolean closed;
    private volatile boolean complete;
    private ByteBuf current;
    private boolean ended;

    ChunkPipe(long highWater, long lowWater, Duration stallTimeout, Runnable pauseReading, Runnable resumeReading) {
        this.highWater = highWater;
        this.lowWater = lowWater;
        this.stallTimeout = stallTimeout;
        this.pauseReading = pauseReading;
        this.resumeReading = resumeReading;
    }

    /** Event loop: hands over a retained chunk; the pipe releases it. */
    void offer(ByteBuf chunk) {
        if (abortReason != null || closed) {
            chunk.release();
            return;
        }
        chunks.add(chunk);
        if (closed) {
            // The worker closed between the check and the add: release what it will never read.
            drain();
            return;
        }
        if (queued.addAndGet(chunk.readableBytes()) > highWater && !paused) {
            paused = true;
            pauseReading.run();
        }
    }

    /** Event loop: the body is complete. */
    void end() {
        complete = true;
        chunks.add(END);
    }

    /** Any thread: the body will not complete (client gone, limit exceeded); the reader fails. */
    void abort(String reason) {
        abortReason = reason;
        chunks.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || !current.isReadable()) {
            releaseCurrent();
            if (ended) {
                return -1;
            }
            ByteBuf next;
            try {
                next = chunks.poll(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the request body");
            }
            if (next == null) {
                throw new IOException("the client sent nothing for " + stallTimeout.toSeconds() + " s");
            }
            if (next == END) {
                ended = true;
                if (abortReason != null) {
                    throw new IOException(abortReason);
                }
                return -1;
            }
            current = next;
        }
        int n = Math.min(len, current.readableBytes());
        current.readBytes(b, off, n);
        if (queued.addAndGet(-n) < lowWater && paused && !complete) {
            paused = false;
            resumeReading.run();
        }
        return n;
    }

    private void releaseCurrent() {
        if (current != null) {
            current.release();
            current = null;
        }
    }

    /** Worker: releases whatever is still queued (after the import finished or failed). */
    @Override
    public void close() {
        closed = true;
        releaseCurrent();
        drain();
    }

    private void drain() {
        for (ByteBuf b; (b = chunks.poll()) != null; ) {
            if (b != END) {
                b.release();
            }
        }
    }
}
