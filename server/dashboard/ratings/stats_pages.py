"""``/ratings``: 好差评 statistics with filters, a table per dimension and trend charts."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from server.api.deps import Ctx
from server.dashboard.charts import Series, bar_chart, line_chart
from server.dashboard.ratings.common import CurrentRatingUser, parse_filters
from server.dashboard.routes import _page
from server.models import Department, Site
from server.models.ratings import RatingReject
from server.ratings import rectification, stats, workdays

router = APIRouter(include_in_schema=False)


def _charts(rows: list[stats.Row], period: str) -> dict[str, object]:
    # short axis labels (11-16, 2026-11): the table below the charts has the long Chinese ones
    labels = [f"{r.key:%Y-%m}" if period == "month" else f"{r.key:%m-%d}" for r in rows]

    def pct(name: str) -> list[float | None]:
        return [None if getattr(r.counts, name) is None else round(getattr(r.counts, name) * 100, 1) for r in rows]

    return {
        "chart_rates": line_chart("好评率、差评率、未评率走势", labels,
                                  [Series("好评率", pct("good_rate")), Series("差评率", pct("bad_rate")),
                                   Series("未评率", pct("unrated_rate"))], unit="%", ceiling=100),
        "chart_loop": line_chart("差评回访率、整改率、整改满意率走势", labels,
                                 [Series("差评回访率", pct("visit_rate")), Series("整改率", pct("rectify_rate")),
                                  Series("整改满意率", pct("satisfied_rate"))], unit="%", ceiling=100),
        "chart_counts": bar_chart("评价数量", labels,
                                  [Series("好评", [r.counts.good for r in rows]),
                                   Series("差评", [r.counts.bad for r in rows]),
                                   Series("未评", [r.counts.not_rated for r in rows])], unit="条"),
    }


@router.get("/ratings", response_class=HTMLResponse)
def stats_page(request: Request, ctx: Ctx, user: CurrentRatingUser, start: str = "", end: str = "",
               site: str = "", department: str = "", channel: str = "", dimension: str = "department",
               period: str = "day") -> HTMLResponse:
    filters = parse_filters(start, end, site, department, channel)
    if dimension not in stats.DIMENSIONS or period not in stats.PERIODS:
        raise HTTPException(400, "未知的统计维度或周期 (unknown dimension or period)")
    with ctx.reading() as session:
        total = stats.totals(session, filters)
        rows = stats.by_dimension(session, filters, dimension, period)
        trend = rows if dimension == "period" else stats.trend(session, filters, period)
        calendar = workdays.load(session)
        overdue = rectification.overdue_cases(session, calendar, ctx.settings.ratings_rectify_days)
        rejected = session.scalar(select(func.count()).select_from(RatingReject)) or 0
        halls = list(session.scalars(select(Site).order_by(Site.name)))
        departments = list(session.scalars(select(Department).order_by(Department.code)))
    unknown_years = calendar.unknown_years({filters.end.year, filters.end.year + 1})
    return _page(request, "ratings_stats.html", user.viewer, total=total, rows=rows, filters=filters,
                 dimension=dimension, period=period, overdue=overdue, rejected=rejected, halls=halls,
                 departments=departments, DIMENSIONS=stats.DIMENSIONS, PERIODS=stats.PERIODS, RATES=stats.RATES, DEFINITIONS=stats.DEFINITIONS,
                 unknown_years=unknown_years, site=site, department=department, channel=channel,
                 **_charts(trend, period))
