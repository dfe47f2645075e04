package trit.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn by XChart to PNG and handed back as data URIs (the HTML stays one file). */
final class Charts {
    static final int W = 760, H = 420;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** Throughput (pp and tg, tokens/s) against bits per weight, one point per format, labelled. */
    static String throughputVsBits(List<String> types, double[] bits, double[] pp, double[] tg) {
        XYChart c = new XYChartBuilder().width(W).height(H).title("Throughput vs bits per weight (measured)")
                .xAxisTitle("bits per weight (whole file)").yAxisTitle("tokens/s").build();
        style(c);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(10);
        if (nonZero(pp)) c.addSeries("prompt (pp)", bits, pp).setMarker(SeriesMarkers.CIRCLE);
        c.addSeries("generation (tg)", bits, tg).setMarker(SeriesMarkers.DIAMOND);
        c.getStyler().setXAxisLogarithmic(true);
        for (int i = 0; i < types.size(); i++) c.addAnnotation(new AnnotationText(types.get(i), bits[i] * 1.06, tg[i], false));
        return png(c);
    }

    /** Memory by component per format, stacked. */
    static String memoryByComponent(List<String> types, Map<String, double[]> componentsMiB, String title) {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title(title).xAxisTitle("format").yAxisTitle("MiB").build();
        style(c);
        c.getStyler().setStacked(true);
        c.getStyler().setXAxisLabelRotation(types.size() > 6 ? 30 : 0);
        for (var e : componentsMiB.entrySet()) c.addSeries(e.getKey(), types, toList(e.getValue()));
        return png(c);
    }

    /** One bar per format: a cost (e.g. $ per 1M generated tokens). */
    static String bars(List<String> types, double[] values, String title, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title(title).xAxisTitle("format").yAxisTitle(yTitle).build();
        style(c);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setXAxisLabelRotation(types.size() > 6 ? 30 : 0);
        c.addSeries(yTitle, types, toList(values));
        return png(c);
    }

    /** Compute-to-value ratio as each input is scaled, log-log, with the 0.1 line. */
    static String sensitivity(Map<String, double[][]> curves, String title) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("multiple of today's figure")
                .yAxisTitle("compute / value").build();
        style(c);
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        for (var e : curves.entrySet()) {
            double[][] pts = e.getValue();
            c.addSeries(e.getKey(), pts[0], pts[1]).setMarker(SeriesMarkers.NONE);
        }
        double xMin = Double.MAX_VALUE, xMax = 0, yMin = Double.MAX_VALUE, yMax = 0;
        for (double[][] pts : curves.values()) {
            for (double x : pts[0]) { xMin = Math.min(xMin, x); xMax = Math.max(xMax, x); }
            for (double y : pts[1]) { yMin = Math.min(yMin, y); yMax = Math.max(yMax, y); }
        }
        XYSeries limit = c.addSeries("limit: ratio 0.1", new double[] {xMin, xMax}, new double[] {0.1, 0.1});
        limit.setMarker(SeriesMarkers.NONE);
        limit.setLineColor(new Color(0xC0392B));
        limit.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        XYSeries today = c.addSeries("today (1x)", new double[] {1, 1}, new double[] {Math.min(yMin, 0.1), Math.max(yMax, 0.1)});
        today.setMarker(SeriesMarkers.NONE);
        today.setLineColor(Color.GRAY);
        return png(c);
    }

    private static void style(Chart<?, ?> c) {
        Styler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setAntiAlias(true);
    }

    private static boolean nonZero(double[] a) {
        for (double v : a) if (v > 0) return true;
        return false;
    }

    private static List<Double> toList(double[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }

    private static String png(Chart<?, ?> c) {
        try {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
