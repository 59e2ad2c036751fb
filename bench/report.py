"""The printed table: each app figure next to the raw engine's, with the ratio and the target."""

from __future__ import annotations

from typing import Any

from .common import fmt_ms


def _ratio(value: Any) -> str:
    return "-" if value is None else f"{value:.1f}x"


def _row(name: str, who: str, res: dict[str, Any], target: str, met: bool | None) -> list[str]:
    a, r = res["app"], res["raw"]
    return [
        name,
        who,
        f"{fmt_ms(a.get('p50'))} / {fmt_ms(a.get('p95'))} / {fmt_ms(a.get('p99'))}",
        f"{fmt_ms(r.get('p50'))} / {fmt_ms(r.get('p95'))} / {fmt_ms(r.get('p99'))}",
        f"{_ratio(res['ratio'].get('p50'))} / {_ratio(res['ratio'].get('p95'))}",
        str(a.get("n", 0)),
        target,
        "" if met is None else ("yes" if met else "NO"),
    ]


def _render(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def rows(report: dict[str, Any]) -> list[list[str]]:
    res = {k: v for k, v in report["results"].items() if "error" not in v}
    out: list[list[str]] = []
    if "search" in res:
        for who, r in res["search"]["by_user"].items():
            out.append(_row("1. global search", who, r, "p95 <= 20", r["app"]["p95"] <= 20))
    if "lookup" in res:
        r = res["lookup"]
        out.append(_row("2. caller lookup (API)", "sales manager", r, "p99 <= 5", r["app"]["p99"] <= 5))
    if "detail" in res:
        r = res["detail"]
        acts = r.get("activities")
        label = f"3. 360 page ({acts:,} activities)" if isinstance(acts, int) else "3. 360 page"
        out.append(_row(label, "sales manager", r, "p95 <= 80", r["app"]["p95"] <= 80))
    if "timeline" in res:
        for name, r in res["timeline"]["cases"].items():
            out.append(_row(f"3b. timeline {name}", "sales manager", r, "page N ~ page 1", None))
    if "lists" in res:
        for name, r in res["lists"]["cases"].items():
            out.append(_row(f"4. list {name}", "sales manager", r, "page N ~ page 1", None))
    return out


def table(report: dict[str, Any]) -> str:
    header = ["measurement", "user", "app p50/p95/p99 ms", "raw p50/p95/p99 ms", "ratio p50/p95", "n", "target", "met"]
    noise = report.get("machine", {}).get("cpu_noise_ms", {})
    parts = [
        f"{report['db']}: {report['rows']['people']:,} people, {report['rows']['companies']:,} companies"
        + (f"; fixed CPU work p50/p95/p99 {noise['p50']} / {noise['p95']} / {noise['p99']} ms" if noise else ""),
        _render(header, rows(report)),
    ]
    res = {k: v for k, v in report["results"].items() if "error" not in v}
    for key, value in report["results"].items():
        if "error" in value:
            parts.append(f"{key}: FAILED {value['error']}")
    if "search" in res:
        cats: dict[str, list[str]] = {}
        users = list(res["search"]["by_user"])
        for who in users:
            for cat, r in res["search"]["by_user"][who]["by_category"].items():
                cats.setdefault(cat, [cat, str(r["app"]["n"])])
                cats[cat].append(
                    f"{fmt_ms(r['app']['p50'])} / {fmt_ms(r['app']['p95'])} (raw {fmt_ms(r['raw']['p50'])} / "
                    f"{fmt_ms(r['raw']['p95'])})"
                )
        parts.append("\nsearch by query kind, app p50 / p95 ms (raw p50 / p95):")
        parts.append(_render(["kind", "n", *users], list(cats.values())))
        for who in users:
            missing = res["search"]["by_user"][who].get("no_hits")
            if missing:
                parts.append(f"found nothing for {who}: " + ", ".join(missing))
            slow = res["search"]["by_user"][who]["slowest"][:3]
            parts.append(f"slowest for {who}: " + ", ".join(f"{s['query']!r} {s['app_ms']} ms" for s in slow))
    seeding = report.get("seeding", {})
    if "inserts" in res or seeding.get("people_per_s"):
        ins = res.get("inserts", {})
        app_rate = seeding.get("people_per_s")
        line = [f"\n5. insert rate: velinimet seed {app_rate or '-'} people/s"]
        if seeding.get("companies_per_s"):
            line.append(f"({seeding['companies_per_s']} companies/s)")
        for label, r in ins.items():
            if not isinstance(r, dict):
                continue
            rate = r.get("rows_per_s")
            ratio = f", app/raw {app_rate / rate:.3f}" if app_rate and rate else ""
            line.append(f"| raw executemany {label}: {rate} rows/s{ratio}")
        parts.append(" ".join(line))
    return "\n".join(parts)
