package dev.wagiservlet.bench.runner;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * chart.png: requests/s against connections, one panel per workload family, log scale (the CGI
 * servlet is three orders of magnitude below the others). Plain Java2D, headless.
 */
final class Chart {

    private static final int WIDTH = 1500;
    private static final int HEIGHT = 1360;
    private static final Color WAGI = new Color(0x1f, 0x77, 0xb4);
    private static final Color WASMTIME = new Color(0xff, 0x7f, 0x0e);
    private static final Color NOHOP = new Color(0x17, 0xbe, 0xcf);
    private static final Color PLAIN = new Color(0x2c, 0xa0, 0x2c);
    private static final Color CGI = new Color(0xd6, 0x27, 0x28);
    private static final Color RUST = new Color(0x94, 0x67, 0xbd);
    private static final Color RUST_WASMTIME = new Color(0xe3, 0x77, 0xc2);
    private static final Color GO = new Color(0x8c, 0x56, 0x4b);
    private static final Color GO_WASMTIME = new Color(0xbc, 0xbd, 0x22);

    private record Series(String label, Color color, boolean dashed, List<double[]> points) {}

    private Chart() {}

    /**
     * Four panels: hello by server and engine, rust-1m and the Go example by engine, echo, and the esbuild
     * transform by engine (at its own connection counts).
     */
    static void write(Path file, List<HttpCases.CaseResult> cases, List<Integer> connections, String title, String footer)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        drawCentered(g, title, WIDTH / 2, 34);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(Color.DARK_GRAY);
        drawCentered(g, footer, WIDTH / 2, HEIGHT - 14);

        String c = HttpCases.CHICORY;
        String wt = HttpCases.WASMTIME;
        String none = HttpCases.NO_ENGINE;
        List<Series> hello = List.of(
                series(cases, HttpCases.HELLO, HttpCases.WAGI, c, "wagi filter, Chicory: hello.wasm", WAGI, false),
                series(cases, HttpCases.HELLO, HttpCases.WAGI, wt, "wagi filter, wasmtime: hello.wasm", WASMTIME, false),
                series(cases, HttpCases.HELLO, HttpCases.NOHOP, c, "wagi filter, Chicory, module-stack-size 0", NOHOP, true),
                series(cases, HttpCases.HELLO, HttpCases.PLAIN, none, "plain servlet", PLAIN, false),
                series(cases, HttpCases.HELLO, HttpCases.CGI, none, "Tomcat CGIServlet: native C", CGI, false));
        List<Series> modules = List.of(
                series(cases, HttpCases.RUST, HttpCases.WAGI, c, "Rust, 1 MiB memory, Chicory", RUST, false),
                series(cases, HttpCases.RUST, HttpCases.WAGI, wt, "Rust, 1 MiB memory, wasmtime", RUST_WASMTIME, true),
                series(cases, HttpCases.GO, HttpCases.WAGI, c, "Go example (2.3 MB), Chicory", GO, false),
                series(cases, HttpCases.GO, HttpCases.WAGI, wt, "Go example (2.3 MB), wasmtime", GO_WASMTIME, true));
        List<Series> echo = List.of(
                series(cases, HttpCases.ECHO, HttpCases.WAGI, c, "wagi filter, Chicory: echo.wasm", WAGI, false),
                series(cases, HttpCases.ECHO, HttpCases.PLAIN, none, "plain servlet", PLAIN, false),
                series(cases, HttpCases.ECHO, HttpCases.CGI, none, "Tomcat CGIServlet: native C", CGI, false));
        List<Series> esbuild = List.of(
                series(cases, HttpCases.ESBUILD, HttpCases.WAGI, wt, "esbuild transform (20 MB, Go), wasmtime", WASMTIME, false),
                series(cases, HttpCases.ESBUILD, HttpCases.WAGI, c, "esbuild transform (20 MB, Go), Chicory", WAGI, false));
        List<Integer> esbuildConnections = cases.stream().filter(r -> r.target().workload().equals(HttpCases.ESBUILD))
                .map(HttpCases.CaseResult::connections).distinct().sorted().toList();

        int panelWidth = (WIDTH - 60) / 2;
        int panelHeight = (HEIGHT - 110) / 2;
        int x2 = 30 + panelWidth + 20;
        int y2 = 60 + panelHeight;
        panel(g, 30, 60, panelWidth - 20, panelHeight - 10, "GET \"Hello, world!\" by server and engine", hello, connections);
        panel(g, x2, 60, panelWidth - 20, panelHeight - 10, "GET of bigger modules, by engine", modules, connections);
        panel(g, 30, y2, panelWidth - 20, panelHeight - 10, "POST 64 KiB, echoed back", echo, connections);
        panel(g, x2, y2, panelWidth - 20, panelHeight - 10, "POST esbuild transform (own server per engine)", esbuild,
                esbuildConnections);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static Series series(List<HttpCases.CaseResult> cases, String workload, String server, String engine, String label,
                                 Color color, boolean dashed) {
        List<double[]> points = new ArrayList<>();
        for (HttpCases.CaseResult c : cases) {
            HttpCases.Target t = c.target();
            if (t.workload().equals(workload) && t.server().equals(server) && t.engine().equals(engine)) {
                points.add(new double[] {c.connections(), c.wrk().requestsPerSecond(), Quiet.disturbed(c.cpu()) ? 1 : 0});
            }
        }
        return new Series(label, color, dashed, points);
    }

    private static void panel(Graphics2D g, int x, int y, int w, int h, String title, List<Series> all, List<Integer> connections) {
        List<Series> series = all.stream().filter(s -> !s.points().isEmpty()).toList();
        int left = x + 80;
        int right = x + w - 20;
        int top = y + 40;
        int bottom = y + h - 170;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        drawCentered(g, title, (left + right) / 2, y + 20);

        double min = Double.MAX_VALUE;
        double max = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                if (p[1] > 0) {
                    min = Math.min(min, p[1]);
                    max = Math.max(max, p[1]);
                }
            }
        }
        if (max == 0) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            drawCentered(g, "no data", (left + right) / 2, (top + bottom) / 2);
            return;
        }
        int lo = (int) Math.floor(Math.log10(min));
        int hi = (int) Math.ceil(Math.log10(max) + 0.05);
        if (hi == lo) {
            hi++;
        }

        // grid and y axis (log10)
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (int e = lo; e <= hi; e++) {
            for (int m = 1; m < 10; m++) {
                double v = m * Math.pow(10, e);
                if (Math.log10(v) > hi + 1e-9) {
                    break;
                }
                int py = yOf(v, lo, hi, top, bottom);
                g.setColor(m == 1 ? new Color(0xcc, 0xcc, 0xcc) : new Color(0xee, 0xee, 0xee));
                g.drawLine(left, py, right, py);
                if (m == 1) {
                    g.setColor(Color.BLACK);
                    String label = String.format(java.util.Locale.ROOT, "%,.0f", v);
                    g.drawString(label, left - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
                }
            }
        }
        // x axis: the connection counts, evenly spaced
        for (int i = 0; i < connections.size(); i++) {
            int px = xOf(i, connections.size(), left, right);
            g.setColor(new Color(0xee, 0xee, 0xee));
            g.drawLine(px, top, px, bottom);
            g.setColor(Color.BLACK);
            drawCentered(g, Integer.toString(connections.get(i)), px, bottom + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, right - left, bottom - top);
        drawCentered(g, "connections (wrk, keep-alive)", (left + right) / 2, bottom + 38);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        drawCentered(rotated, "requests / s (log scale)", -(top + bottom) / 2, x + 14);
        rotated.dispose();

        // series
        Stroke solid = new BasicStroke(2.5f);
        Stroke dashed = new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {9f, 6f}, 0f);
        Map<Series, List<int[]>> drawn = new LinkedHashMap<>();
        for (Series s : series) {
            List<int[]> pts = new ArrayList<>();
            for (double[] p : s.points()) {
                int i = connections.indexOf((int) p[0]);
                if (i < 0 || p[1] <= 0) {
                    continue;
                }
                // the rate is kept in tenths, so labels of small rates keep their decimal
                pts.add(new int[] {xOf(i, connections.size(), left, right), yOf(p[1], lo, hi, top, bottom),
                        (int) Math.round(p[1] * 10), (int) p[2]});
            }
            drawn.put(s, pts);
            g.setColor(s.color());
            g.setStroke(s.dashed() ? dashed : solid);
            for (int k = 1; k < pts.size(); k++) {
                g.drawLine(pts.get(k - 1)[0], pts.get(k - 1)[1], pts.get(k)[0], pts.get(k)[1]);
            }
            g.setStroke(new BasicStroke(2f));
            for (int[] pt : pts) {
                if (pt[3] == 1) { // disturbed by other processes: hollow
                    g.setColor(Color.WHITE);
                    g.fillOval(pt[0] - 5, pt[1] - 5, 10, 10);
                    g.setColor(s.color());
                    g.drawOval(pt[0] - 5, pt[1] - 5, 10, 10);
                } else {
                    g.fillOval(pt[0] - 5, pt[1] - 5, 10, 10);
                }
            }
            g.setStroke(new BasicStroke(1f));
        }
        // value labels, each moved around its point until it overlaps no other label
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics lfm = g.getFontMetrics();
        List<Rectangle> placed = new ArrayList<>();
        for (Map.Entry<Series, List<int[]>> e : drawn.entrySet()) {
            g.setColor(e.getKey().color().darker());
            for (int[] pt : e.getValue()) {
                String label = Stats.rate(pt[2] / 10.0);
                int lw = lfm.stringWidth(label);
                int lh = lfm.getAscent();
                int[][] offsets = {{8, -7}, {8, lh + 7}, {-8 - lw, -7}, {-8 - lw, lh + 7}, {8, -7 - lh - 2}, {8, 2 * lh + 9}};
                Rectangle chosen = null;
                for (int[] o : offsets) {
                    Rectangle r = new Rectangle(pt[0] + o[0], pt[1] + o[1] - lh, lw, lh + 2);
                    if (placed.stream().noneMatch(r::intersects)) {
                        chosen = r;
                        break;
                    }
                }
                if (chosen == null) {
                    chosen = new Rectangle(pt[0] + 8, pt[1] - 7 - lh, lw, lh + 2);
                }
                placed.add(chosen);
                g.drawString(label, chosen.x, chosen.y + lh);
            }
        }
        // legend below the plot
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int ly = bottom + 58;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(s.dashed() ? dashed : solid);
            g.drawLine(left, ly - 5, left + 40, ly - 5);
            g.setStroke(new BasicStroke(1f));
            g.fillOval(left + 15, ly - 10, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), left + 52, ly);
            ly += 20;
        }
        boolean anyDisturbed = series.stream().flatMap(s -> s.points().stream()).anyMatch(p -> p[2] == 1);
        if (anyDisturbed) {
            g.setColor(Color.DARK_GRAY);
            g.drawOval(left + 15, ly - 10, 10, 10);
            g.drawString("hollow: disturbed (other processes used > " + (int) Quiet.OTHER_LIMIT_PERCENT + " % of a core)", left + 52, ly);
        }
    }

    private static int xOf(int index, int count, int left, int right) {
        if (count == 1) {
            return (left + right) / 2;
        }
        int pad = 40;
        return left + pad + (int) Math.round((right - left - 2.0 * pad) * index / (count - 1));
    }

    private static int yOf(double value, int lo, int hi, int top, int bottom) {
        double f = (Math.log10(value) - lo) / (hi - lo);
        return (int) Math.round(bottom - f * (bottom - top));
    }

    private static void drawCentered(Graphics2D g, String text, int cx, int baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, cx - fm.stringWidth(text) / 2, baseline);
    }
}
