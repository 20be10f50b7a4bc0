package io.lparchiver.app.server;

import io.lparchiver.state.DailyActivity;
import java.util.List;
import java.util.Locale;

/** An inline SVG bar chart of copies per day: imported+externalised, duplicates, failed. */
final class BarChart {

  private static final int HEIGHT = 120;
  private static final int BAR = 18;
  private static final int GAP = 4;

  private BarChart() {}

  /** Only numbers and ISO dates go in, so the markup is safe to insert unescaped. */
  static String svg(List<DailyActivity> days) {
    long max = 1;
    for (DailyActivity d : days) {
      max = Math.max(max, d.afterFanOut() + d.unmapped());
    }
    int width = days.size() * (BAR + GAP) + 24; // room for the last date label
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg class=\"chart\" role=\"img\" aria-label=\"Copies per day\" width=\"%d\""
                + " height=\"%d\" viewBox=\"0 0 %d %d\">",
            width,
            HEIGHT + 16,
            width,
            HEIGHT + 16));
    for (int i = 0; i < days.size(); i++) {
      DailyActivity d = days.get(i);
      int x = i * (BAR + GAP);
      int y = HEIGHT;
      y = bar(svg, x, y, d.imported() + d.externalised(), max, "ok", d);
      y = bar(svg, x, y, d.duplicates(), max, "dup", d);
      y = bar(svg, x, y, d.failed() + d.unmapped(), max, "bad", d);
      if (i % 5 == 0 || i == days.size() - 1) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" class=\"axis\">%s</text>",
                x,
                HEIGHT + 13,
                d.day().toString().substring(5)));
      }
    }
    return svg.append("</svg>").toString();
  }

  private static int bar(
      StringBuilder svg, int x, int bottom, long value, long max, String cls, DailyActivity d) {
    if (value == 0) {
      return bottom;
    }
    int h = Math.max(1, (int) Math.round((double) value * (HEIGHT - 4) / max));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"%s\"><title>%s %s: %d"
                + "</title></rect>",
            x,
            bottom - h,
            BAR,
            h,
            cls,
            d.day(),
            cls,
            value));
    return bottom - h;
  }
}
