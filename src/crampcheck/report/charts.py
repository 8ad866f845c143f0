"""Server-side SVG charts: intake against the DRIs, the Ca:Mg ratio over time, the cramp
timeline with medicine and supplement changes, and cramps by hour of day.

Every function takes plain data and returns one ``<svg>`` element as a string (escaped, no
scripts, no inline ``style`` attributes so a strict Content-Security-Policy allows it). Each
chart has ``role="img"``, a ``<title>`` and a ``<desc>`` that says in words what it shows, so a
screen reader gets the same message. Colours pass WCAG AA contrast on white for text.

Used by the web pages (:mod:`crampcheck.web`) and the HTML report
(:mod:`crampcheck.report.html`); the PDF report draws from the same data.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from ..nutrient_registry import DRI_KEYS
from .labels import short_name

BAR = "#2f6f9f"
BAR_LOW = "#b3541e"
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9e2ec"
BAND = "#d8f0dc"
EVENT_MED = "#7b3fa0"
EVENT_SUPP = "#1b7a4a"
CRAMP = "#c0392b"

INTAKE_KEYS = DRI_KEYS  # the nutrients with reference intakes
PLAIN = {k: short_name(k) for k in INTAKE_KEYS}  # names from crampcheck.report.labels


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _num(v: float | None, unit: str = "") -> str:
    if v is None:
        return "no value"
    text = f"{v:,.0f}" if abs(v) >= 10 else f"{v:.2g}"
    return f"{text} {unit}".strip()


def _svg(width: int, height: int, title: str, desc: str, body: list[str], cid: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-labelledby="{cid}-t {cid}-d" class="chart" '
            f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" '
            f'font-size="12">'
            f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{escape(desc)}</desc>'
            + "".join(body) + "</svg>")


def _text(x: float, y: float, s: str, *, anchor: str = "start", size: int = 12,
          fill: str = INK, weight: str = "normal") -> str:
    return (f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}" font-weight="{weight}">{escape(s)}</text>')


@dataclass(frozen=True)
class IntakeRow:
    """One nutrient's intake and its reference values (all per day, in ``unit``)."""

    key: str
    label: str
    unit: str
    intake: float | None
    ear: float | None = None
    target: float | None = None  # RDA, or AI when there is no RDA
    target_kind: str = "RDA"
    ul: float | None = None
    ul_note: str = ""


def intake_rows(daily_mean: dict[str, float | None], targets: dict[str, Any]) -> list[IntakeRow]:
    """Rows for :func:`intake_chart` from an assessment's daily means and targets."""
    rows = []
    for key in INTAKE_KEYS:
        t = targets.get(key)
        if t is None:
            continue
        target, kind = (t.rda, "RDA") if t.rda is not None else (
            t.ai, "AI" if getattr(t, "is_dri", True) else "guideline")
        if target is None and getattr(t, "cdrr", None) is None:
            continue
        ul = t.ul if t.ul_applies_to == "total" else None
        note = ""
        if t.ul is not None and t.ul_applies_to == "supplements":
            note = f"UL {_num(t.ul, t.unit)} applies to supplements only"
        if key == "sodium_mg" and t.cdrr is not None:
            ul, note = t.cdrr, "CDRR: reduce intake above this"
        rows.append(IntakeRow(key, PLAIN.get(key, key), t.unit, daily_mean.get(key), t.ear,
                              target, kind, ul, note))
    return rows


def text_width(text: str, size: float) -> float:
    """A generous estimate of a label's width in px (0.6 em a character)."""
    return 0.6 * size * len(text)


def _spread(labels: list[list[Any]], size: float = 10.0, gap: float = 4.0) -> None:
    """Labels ``[x, text, colour, anchor]`` on one line, centred on their marks: where two
    would touch, the left one is anchored at its end and the right one at its start (each
    beside its own mark), so they part."""
    labels.sort(key=lambda lab: lab[0])

    def box(lab: list[Any]) -> tuple[float, float]:
        w = text_width(lab[1], size)
        return {"start": (lab[0], lab[0] + w), "end": (lab[0] - w, lab[0]),
                "middle": (lab[0] - w / 2, lab[0] + w / 2)}[lab[3]]

    for a, b in zip(labels, labels[1:], strict=False):
        if box(a)[1] + gap > box(b)[0]:
            if a[3] == "middle":
                a[3], a[0] = "end", a[0] - 2
            if b[3] == "middle":
                b[3], b[0] = "start", b[0] + 2


def _axis_max(rows: Sequence[IntakeRow]) -> float:
    """The intake chart's axis end (percent, a multiple of 50): room for every intake and
    every UL up to 400 %; beyond that an arrow."""
    max_pct = 150.0
    for r in rows:
        if r.target:
            for v in (r.intake, r.ul):
                if v is not None and (v is r.intake or 100.0 * v / r.target <= 390.0):
                    max_pct = max(max_pct, min(400.0, 100.0 * v / r.target + 10))
    return float(int((max_pct + 49) // 50 * 50))


def _marks(r: IntakeRow, target: float, y: float, x: Any, max_pct: float,
           end: float) -> list[str]:
    """The RDA/AI, EAR and UL lines of one intake row and their labels (EAR above the bar,
    the others below it, spread apart; a mark beyond the axis said in words at its end)."""
    bar_top, bar_bottom = y + 14, y + 32
    body: list[str] = []
    marks = [(100.0, r.target_kind, INK, "")]
    if r.ear is not None:
        marks.append((100.0 * r.ear / target, "EAR", MUTED, "4 3"))
    if r.ul is not None:
        marks.append((100.0 * r.ul / target, "UL" if r.key != "sodium_mg" else "CDRR",
                      CRAMP, "2 2"))
    below: list[list[Any]] = []
    for mpct, name, colour, dash in marks:
        if mpct > max_pct:  # beyond the axis: say where, at its end
            below.append([end, f"{name} {mpct:.0f}% →", colour, "end"])
            continue
        mx = x(mpct)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<line x1="{_f(mx)}" y1="{bar_top - 3}" x2="{_f(mx)}" '
                    f'y2="{bar_bottom + 3}" stroke="{colour}" stroke-width="2"'
                    f'{dash_attr}/>')
        if name == "EAR":
            body.append(_text(mx, y + 8, name, anchor="middle", size=10, fill=colour))
        else:
            below.append([mx, name, colour, "middle"])
    _spread(below)
    for lx, name, colour, anchor in below:
        body.append(_text(lx, y + 46, name, anchor=anchor, size=10, fill=colour))
    return body


def intake_chart(rows: Sequence[IntakeRow], cid: str = "intake") -> str:
    """Horizontal bars: intake as a share of the RDA/AI, with EAR, RDA/AI and UL marked.

    The axis is percent of the RDA (or AI); 100 % is the target line. Bars below the EAR
    (or below the AI, where only an AI exists) are drawn in the warning colour. Each row has
    its own bands, so no text crosses a line: the name and the amount on the left, the EAR
    label above the bar, the RDA/AI and UL labels below it, a note under those. A value or
    a mark beyond the axis (above 400 %) is drawn at its end with an arrow and its percent.
    """
    width, left, right, row_h, top = 640, 150, 24, 74, 34
    height = top + row_h * len(rows) + 34
    plot_w = width - left - right
    max_pct = _axis_max(rows)

    def x(pct: float) -> float:
        return left + plot_w * min(max(pct, 0.0), max_pct) / max_pct

    body = [_text(left, 14, "Intake per day as % of the recommended amount (RDA or AI)",
                  fill=MUTED)]
    axis_y = top + row_h * len(rows)
    for pct in range(0, int(max_pct) + 1, 50):
        body.append(f'<line x1="{_f(x(pct))}" y1="{top}" x2="{_f(x(pct))}" '
                    f'y2="{axis_y}" stroke="{GRID}"/>')
        body.append(_text(x(pct), axis_y + 16, f"{pct}%", anchor="middle", size=11,
                          fill=MUTED))
    summary = []
    for i, r in enumerate(rows):
        y = top + i * row_h  # bands: EAR label y+0..y+10, bar y+14..y+32, labels y+38..y+48
        bar_top, bar_bottom = y + 14, y + 32
        body.append(_text(left - 10, y + 25, r.label, anchor="end", weight="bold"))
        if not r.target:
            body.append(_text(left - 10, y + 40, f"{r.unit}/day", anchor="end", size=10,
                              fill=MUTED))
            body.append(_text(left + 4, y + 27, "no reference value", fill=MUTED))
            continue
        if r.intake is None:
            body.append(_text(left - 10, y + 40, f"{r.unit}/day", anchor="end", size=10,
                              fill=MUTED))
            body.append(_text(left + 4, y + 27, "no data", fill=MUTED))
            summary.append(f"{r.label}: no data")
            continue
        pct = 100.0 * r.intake / r.target
        low = (r.ear is not None and r.intake < r.ear) or (r.ear is None and pct < 100)
        body.append(_text(left - 10, y + 41, f"{_num(r.intake, r.unit)}/day · {pct:.0f}%",
                          anchor="end", size=11, fill=BAR_LOW if low else INK))
        body.append(f'<rect x="{left}" y="{bar_top}" width="{_f(max(1.0, x(pct) - left))}" '
                    f'height="{bar_bottom - bar_top}" fill="{BAR_LOW if low else BAR}" '
                    'rx="2"/>')
        if pct > max_pct:
            body.append(_text(width - right - 4, bar_top + 13, "→", anchor="end",
                              fill="#ffffff", weight="bold"))
        body.extend(_marks(r, r.target, y, x, max_pct, width - right))
        if r.ul_note:
            body.append(_text(left + 4, y + 61, r.ul_note, size=10, fill=MUTED))
        state = "below the EAR" if low and r.ear is not None else (
            "below the AI" if low else "at or above the target")
        summary.append(f"{r.label}: {_num(r.intake, r.unit)} per day, {pct:.0f}% of the "
                       f"{r.target_kind}, {state}")
    desc = "; ".join(summary) or "No intake data."
    return _svg(width, height, "Intake against the Dietary Reference Intakes", desc, body, cid)


def _days(start: str, end: str) -> list[dt.date]:
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


def _date_axis(days: list[dt.date], x: Any, y: float) -> list[str]:
    out = []
    step = max(1, len(days) // 6)
    for i, d in enumerate(days):
        if i % step == 0 or i == len(days) - 1 and len(days) <= 8:
            out.append(_text(x(i), y, d.strftime("%d %b"), anchor="middle", size=10,
                             fill=MUTED))
    return out


def ratio_chart(start: str, end: str, daily: dict[str, float | None],
                rolling: dict[str, float | None] | None = None,
                band: tuple[float, float] | None = None, cid: str = "ratio") -> str:
    """Calcium:magnesium ratio per day (dots) and its 7-day rolling mean (line), with the
    target band shaded (default: ``knowledge.ratio_band()``) and 2:1 marked.
    ``daily``/``rolling`` map ISO days to ratios."""
    if band is None:
        from .. import knowledge

        band = knowledge.ratio_band()
    days = _days(start, end)
    width, left, right, top, bottom = 640, 44, 16, 24, 36
    height = 230
    plot_h = height - top - bottom
    values = [v for v in list(daily.values()) + list((rolling or {}).values()) if v]
    # the axis ends on a gridline; a ratio above 8:1 is drawn on the top line, hollow
    y_max = float(math.ceil(max([4.0, band[1] + 0.5] + [min(v, 8.0) + 0.25 for v in values])))
    n = max(1, len(days) - 1)

    def x(i: float) -> float:
        return left + (width - left - right) * (i / n if len(days) > 1 else 0.5)

    def y(v: float) -> float:
        return top + plot_h * (1 - min(v, y_max) / y_max)

    body = [f'<rect x="{left}" y="{_f(y(band[1]))}" width="{width - left - right}" '
            f'height="{_f(y(band[0]) - y(band[1]))}" fill="{BAND}"/>',
            _text(width - right - 4, y(band[1]) - 4,
                  f"target band {band[0]:g}–{band[1]:g} : 1 (not a DRI)", anchor="end",
                  size=10, fill="#1b5e20")]
    for v in range(0, int(y_max) + 1):
        body.append(f'<line x1="{left}" y1="{_f(y(v))}" x2="{width - right}" y2="{_f(y(v))}" '
                    f'stroke="{GRID}"/>')
        body.append(_text(left - 6, y(v) + 4, f"{v}:1", anchor="end", size=10, fill=MUTED))
    body.append(f'<line x1="{left}" y1="{_f(y(2.0))}" x2="{width - right}" y2="{_f(y(2.0))}" '
                f'stroke="#1b5e20" stroke-dasharray="5 4"/>')
    index = {d.isoformat(): i for i, d in enumerate(days)}
    if rolling:
        pts = [(index[d], v) for d, v in sorted(rolling.items()) if d in index and v]
        segs: list[list[tuple[int, float]]] = []
        for i, v in pts:
            if segs and segs[-1][-1][0] == i - 1:
                segs[-1].append((i, v))
            else:
                segs.append([(i, v)])
        for seg in segs:
            path = " ".join(f"{_f(x(i))},{_f(y(v))}" for i, v in seg)
            body.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" '
                        f'stroke-width="2.5"/>')
    shown = [(d, v) for d, v in sorted(daily.items()) if d in index and v]
    for d, v in shown:
        beyond = v > y_max
        fill = f'fill="#ffffff" stroke="{INK}" stroke-width="1.5"' if beyond else f'fill="{INK}"'
        body.append(f'<circle cx="{_f(x(index[d]))}" cy="{_f(y(v))}" r="3.5" {fill}>'
                    f'<title>{escape(d)}: {v:.2f}:1{" (above the axis)" if beyond else ""}'
                    '</title></circle>')
    body += _date_axis(days, x, height - bottom + 16)
    inside = sum(1 for _, v in shown if band[0] <= v <= band[1])
    desc = (f"{len(shown)} days with a ratio from {start} to {end}; {inside} inside the band "
            f"{band[0]:g}–{band[1]:g}." if shown else "No day has both calcium and magnesium.")
    if shown:
        desc += f" Last: {shown[-1][1]:.2f}:1 on {shown[-1][0]}."
    return _svg(width, height, "Calcium:magnesium ratio over time", desc, body, cid)


@dataclass(frozen=True)
class Event:
    """A medicine or supplement change on the timeline."""

    day: str
    label: str
    kind: str  # "medicine" or "supplement"
    started: bool = True


def cramp_timeline(start: str, end: str, cramps: Sequence[tuple[str, float | None]],
                   events: Sequence[Event] = (), cid: str = "timeline") -> str:
    """Cramps (dots; height = severity 0–10, unknown severity at 5) on a date axis, with
    medicine and supplement starts and stops as labelled vertical lines."""
    days = _days(start, end)
    width, left, right, top, bottom = 640, 44, 16, 24, 36
    lanes = min(len(events), 6)
    height = 200 + 14 * lanes
    plot_h = 200 - top - bottom
    n = max(1, len(days) - 1)

    def x(i: float) -> float:
        return left + (width - left - right) * (i / n if len(days) > 1 else 0.5)

    def y(sev: float) -> float:
        return top + plot_h * (1 - sev / 10)

    body = []
    for s in (0, 5, 10):
        body.append(f'<line x1="{left}" y1="{_f(y(s))}" x2="{width - right}" y2="{_f(y(s))}" '
                    f'stroke="{GRID}"/>')
        body.append(_text(left - 6, y(s) + 4, str(s), anchor="end", size=10, fill=MUTED))
    body.append(_text(4, top - 10, "severity (0–10)", size=10, fill=MUTED))
    first = dt.date.fromisoformat(start)
    shown_events = []
    for k, e in enumerate(events):
        d = dt.date.fromisoformat(e.day)
        if not days or d < days[0] or d > days[-1]:
            continue
        i = (d - first).days
        colour = EVENT_MED if e.kind == "medicine" else EVENT_SUPP
        dash = "" if e.started else ' stroke-dasharray="4 3"'
        body.append(f'<line x1="{_f(x(i))}" y1="{top}" x2="{_f(x(i))}" y2="{200 - bottom}" '
                    f'stroke="{colour}" stroke-width="2"{dash}/>')
        verb = "start" if e.started else "stop"
        label = f"{verb} {e.label}"
        if len(label) > 38:
            label = label[:37] + "…"
        lane = len(shown_events) % max(lanes, 1)
        body.append(_text(min(max(x(i), left + 2), width - right - 2), 200 - bottom + 30
                          + 14 * lane, label,
                          anchor="start" if x(i) < width / 2 else "end", size=10, fill=colour))
        shown_events.append(f"{verb}ed {e.kind} {e.label} on {e.day}".replace("stoped",
                                                                              "stopped"))
        del k
    body += _date_axis(days, x, 200 - bottom + 14)
    count = 0
    for at, sev in cramps:
        try:
            when = dt.datetime.fromisoformat(at)
        except ValueError:
            continue
        i = (when.date() - first).days + (when.hour * 60 + when.minute) / 1440
        if i < 0 or i > len(days):
            continue
        count += 1
        s = 5.0 if sev is None else float(sev)
        body.append(f'<circle cx="{_f(x(min(i, n)))}" cy="{_f(y(s))}" r="5" fill="{CRAMP}" '
                    f'fill-opacity="0.85"><title>cramp {escape(at.replace("T", " "))}'
                    f'{"" if sev is None else f", severity {sev:g}"}</title></circle>')
    desc = f"{count} cramps from {start} to {end}."
    if shown_events:
        desc += " Changes: " + "; ".join(shown_events) + "."
    return _svg(width, height, "Cramps over time, with medicine and supplement changes", desc,
                body, cid)


def cramp_hours(hours: Sequence[int], cid: str = "hours") -> str:
    """Cramps by hour of day (0–23): 24 bars, night hours (22:00–05:59) shaded."""
    counts = [0] * 24
    for h in hours:
        if 0 <= h < 24:
            counts[h] += 1
    width, left, right, top, bottom = 640, 34, 10, 20, 34
    height = 190
    plot_h = height - top - bottom
    bw = (width - left - right) / 24
    peak = max(counts + [1])

    def y(v: float) -> float:
        return top + plot_h * (1 - v / peak)

    body = []
    for h in list(range(0, 6)) + [22, 23]:
        body.append(f'<rect x="{_f(left + h * bw)}" y="{top}" width="{_f(bw)}" '
                    f'height="{plot_h}" fill="#eef0f8"/>')
    for v in sorted({0, peak, (peak + 1) // 2}):
        body.append(f'<line x1="{left}" y1="{_f(y(v))}" x2="{width - right}" y2="{_f(y(v))}" '
                    f'stroke="{GRID}"/>')
        body.append(_text(left - 6, y(v) + 4, str(v), anchor="end", size=10, fill=MUTED))
    for h, c in enumerate(counts):
        if c:
            body.append(f'<rect x="{_f(left + h * bw + 2)}" y="{_f(y(c))}" '
                        f'width="{_f(bw - 4)}" height="{_f(y(0) - y(c))}" fill="{BAR}">'
                        f'<title>{h:02d}:00–{h:02d}:59: {c}</title></rect>')
        if h % 3 == 0:
            body.append(_text(left + h * bw + bw / 2, height - bottom + 16, f"{h:02d}",
                              anchor="middle", size=10, fill=MUTED))
    body.append(_text(width - right, height - 4, "hour of day (shaded: night 22–06)",
                      anchor="end", size=10, fill=MUTED))
    total = sum(counts)
    night = sum(counts[h] for h in (22, 23, 0, 1, 2, 3, 4, 5))
    desc = (f"{total} cramps; {night} at night (22:00–05:59), {total - night} by day."
            if total else "No cramps with a time recorded.")
    return _svg(width, height, "Cramps by hour of day", desc, body, cid)
