package dev.ashlar.cli;

import dev.ashlar.kernel.tenant.TenantProgress;

import java.io.PrintWriter;

/**
 * A one-line progress display for long runs: redrawn in place in a terminal, printed every few
 * seconds otherwise (CI logs).
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal = System.console() != null;
    private long lastDrawn;
    private TenantProgress last;

    ProgressBar(PrintWriter out) {
        this.out = out;
    }

    synchronized void update(TenantProgress progress) {
        last = progress;
        long now = System.nanoTime();
        if (now - lastDrawn > (terminal ? 100_000_000L : 2_000_000_000L)) {
            draw(progress);
            lastDrawn = now;
        }
    }

    synchronized void finish() {
        if (last != null) {
            draw(last);
        }
        if (terminal) {
            out.println();
        }
    }

    private void draw(TenantProgress p) {
        long handled = p.done() + p.failed() + p.upToDate();
        long total = p.total();
        int filled = total <= 0 ? 0 : (int) (WIDTH * handled / total);
        String line = String.format("[%s%s] %d/%d tenants, %d failed, %d left, %.0f/s", "#".repeat(filled),
                "-".repeat(WIDTH - filled), handled, total, p.failed(), Math.max(0, total - handled), p.rate());
        if (terminal) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }
}
