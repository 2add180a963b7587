package io.steerguard.cli;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A reliability diagram drawn with java.awt (headless): for each evaluation set, the observed
 * refusal rate in ten score bins against the bin's mean predicted probability; the diagonal is
 * perfect calibration. Bins with fewer than {@value #MIN_BIN} answers are not drawn.
 */
final class CalibrationPlot {

    static final int BINS = 10;
    static final int MIN_BIN = 5;
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)};

    /** One curve: calibrated scores and labels of one evaluation set. */
    record Series(String name, double[] scores, boolean[] refused) {
    }

    /** Per bin: {mean predicted, observed rate, count}. */
    static double[][] bins(Series s) {
        double[][] out = new double[BINS][3];
        for (int i = 0; i < s.scores().length; i++) {
            int b = Math.min(BINS - 1, (int) (s.scores()[i] * BINS));
            out[b][0] += s.scores()[i];
            out[b][1] += s.refused()[i] ? 1 : 0;
            out[b][2]++;
        }
        for (double[] b : out) {
            if (b[2] > 0) {
                b[0] /= b[2];
                b[1] /= b[2];
            }
        }
        return out;
    }

    static void write(Path file, String title, List<Series> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 760;
        int h = 560;
        int left = 70;
        int top = 50;
        int size = 440;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, size, size);
        for (int t = 0; t <= 10; t += 2) {
            int x = left + size * t / 10;
            int y = top + size - size * t / 10;
            g.drawString(String.format("%.1f", t / 10.0), x - 8, top + size + 18);
            g.drawString(String.format("%.1f", t / 10.0), left - 30, y + 4);
        }
        g.drawString("predicted refusal probability", left + size / 2 - 80, top + size + 40);
        g.rotate(-Math.PI / 2);
        g.drawString("observed refusal rate", -(top + size / 2 + 60), left - 42);
        g.rotate(Math.PI / 2);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
        g.drawLine(left, top + size, left + size, top);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(COLOURS[k % COLOURS.length]);
            g.setStroke(new BasicStroke(2f));
            double[][] bins = bins(s);
            int px = -1;
            int py = -1;
            for (double[] b : bins) {
                if (b[2] < MIN_BIN) {
                    continue;
                }
                int x = left + (int) Math.round(b[0] * size);
                int y = top + size - (int) Math.round(b[1] * size);
                int r = 3 + (int) Math.min(6, Math.log10(b[2]) * 2);
                g.fillOval(x - r, y - r, 2 * r, 2 * r);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(left + size + 15, top + 10 + 20 * k, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), left + size + 32, top + 21 + 20 * k);
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private CalibrationPlot() {
    }
}
