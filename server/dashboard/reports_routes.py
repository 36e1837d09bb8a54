"""Report pages: usage (charts, rankings, 实时可办率, CSV/XLSX export) and reliability.

Every signed-in role may read reports (supervisors and viewers are who they are for).
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from server.api.deps import Ctx
from server.clock import LOCAL
from server.dashboard import queries
from server.dashboard.auth import CurrentViewer
from server.dashboard.charts import Series, bar_chart, line_chart
from server.dashboard.routes import _page, templates
from server.models import utcnow
from server.reports import export, reliability, usage, workable
from server.reports.period import CHOICES, Period, parse_days

router = APIRouter(include_in_schema=False)
templates.env.filters.setdefault("duration", reliability.duration)
templates.env.filters.setdefault("pct", lambda v: "—" if v is None else f"{v:.1%}")
templates.env.globals.setdefault("FUNCTION_LABELS", usage.FUNCTION_LABELS)


def _charts(report: usage.UsageReport) -> dict[str, object]:
    days = list(report.days)
    functions = list(report.functions)
    return {
        "chart_days": line_chart("每日办件量", [d[5:] for d in days],
                                 [Series("成功", [report.days[d].success for d in days]),
                                  Series("失败", [report.days[d].failure for d in days])], unit="笔"),
        "chart_functions": bar_chart("各功能办件量", [usage.FUNCTION_LABELS.get(f, f) for f in functions],
                                     [Series("成功", [report.functions[f].success for f in functions]),
                                      Series("失败", [report.functions[f].failure for f in functions])], unit="笔"),
        "chart_hours": bar_chart("各时段办件量", [f"{h}时" for h in range(24)],
                                 [Series("办件", report.hours)], unit="笔"),
    }


@router.get("/reports/usage", response_class=HTMLResponse)
def usage_page(request: Request, ctx: Ctx, viewer: CurrentViewer, days: str = "30", hall: str = "") -> HTMLResponse:
    period = Period.last_days(parse_days(days))
    with ctx.reading() as session:
        report = usage.build(session, period, hall or None)
        rates = workable.fleet_rate(session, hall or None)
        halls = queries.sites(session)
    return _page(request, "reports_usage.html", viewer, report=report, rates=rates, target=workable.TARGET,
                 halls=halls, hall=hall, days=period.days, choices=CHOICES, **_charts(report))


def _filename(stem: str, period: Period, suffix: str) -> str:
    name = f"{stem}_{period.first:%Y%m%d}-{period.last:%Y%m%d}.{suffix}"
    return f"attachment; filename=\"{name.encode('ascii', 'ignore').decode()}\"; filename*=UTF-8''{quote(name)}"


@router.get("/reports/usage.csv")
def usage_csv(ctx: Ctx, viewer: CurrentViewer, days: str = "30", hall: str = "", table: str = "devices") -> Response:
    if table not in export.TABLES:
        raise HTTPException(404, f"table must be one of {', '.join(export.TABLES)}")
    period = Period.last_days(parse_days(days))
    with ctx.reading() as session:
        report = usage.build(session, period, hall or None)
        rates = workable.fleet_rate(session, hall or None) if table == "devices" else None
    header, rows = export.table(report, table, rates)
    return Response(export.to_csv(header, rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": _filename(f"usage_{table}", period, "csv")})


@router.get("/reports/usage.xlsx")
def usage_xlsx(ctx: Ctx, viewer: CurrentViewer, days: str = "30", hall: str = "") -> Response:
    period = Period.last_days(parse_days(days))
    with ctx.reading() as session:
        report = usage.build(session, period, hall or None)
        rates = workable.fleet_rate(session, hall or None)
    return Response(export.to_xlsx(report, rates),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": _filename("usage", period, "xlsx")})


@router.get("/reports/reliability", response_class=HTMLResponse)
def reliability_page(request: Request, ctx: Ctx, viewer: CurrentViewer, days: str = "30",
                     hall: str = "") -> HTMLResponse:
    period = Period.last_days(parse_days(days))
    with ctx.reading() as session:
        report = reliability.build(session, period, hall or None)
        halls = queries.sites(session)
    weeks = report.by_week
    chart = line_chart("每周确认/解决用时中位数（分钟）", [w.key for w in weeks], [
        Series("确认用时", [None if w.ack_median_s is None else round(w.ack_median_s / 60, 1) for w in weeks]),
        Series("解决用时", [None if w.resolve_median_s is None else round(w.resolve_median_s / 60, 1) for w in weeks]),
    ], unit="分")
    return _page(request, "reports_reliability.html", viewer, report=report, halls=halls, hall=hall,
                 days=period.days, choices=CHOICES, chart=chart, generated=datetime.now(LOCAL), now=utcnow())
