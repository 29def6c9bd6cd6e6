"""For the operator's tools: /healthz for a load balancer, /metrics for Prometheus.

/healthz answers without login and says only whether this web app can serve (database, keys),
never a path or a count. /metrics needs the bearer token in SARABAN_METRICS_TOKEN: it counts
work per organisation, which is not for the public.
"""

import hmac

from fastapi import APIRouter, Header, HTTPException
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from models.db import default_engine, read_scope
from models.settings import get_settings
from services.orchestration.health import OperationalCounts, health, operational_counts

router = APIRouter(include_in_schema=False)
METRICS_OFF = "ไม่ได้เปิด /metrics: ตั้ง SARABAN_METRICS_TOKEN ก่อน (/metrics is off: set SARABAN_METRICS_TOKEN)"
WRONG_TOKEN = "ต้องส่ง Authorization: Bearer <token> ที่ถูกต้อง (send the right Authorization: Bearer <token>)"


@router.get("/healthz")
def healthz() -> Response:
    report = health(default_engine())
    return JSONResponse(
        {"status": "ok" if report.ok else "unavailable", "checks": report.checks},
        status_code=200 if report.ok else 503,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/metrics")
def metrics(authorization: str = Header("")) -> Response:
    token = get_settings().metrics_token
    if not token:
        raise HTTPException(404, METRICS_OFF)
    if not hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode()):
        raise HTTPException(401, WRONG_TOKEN, headers={"WWW-Authenticate": "Bearer"})
    with read_scope() as session:
        counts = operational_counts(session)
    registry = CollectorRegistry()
    registry.register(_CountsCollector(counts))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


class _CountsCollector(Collector):
    def __init__(self, counts: OperationalCounts) -> None:
        self.counts = counts

    def collect(self):  # noqa: ANN201  (prometheus_client's protocol)
        c = self.counts
        signals = GaugeMetricFamily(
            "saraban_flow_signals_pending", "Flow signals whose work is not done yet", labels=["state"]
        )
        signals.add_metric(["undelivered"], c.signals_undelivered)
        signals.add_metric(["delivered"], c.signals_unfinished)
        yield signals
        yield GaugeMetricFamily(
            "saraban_flow_signal_oldest_pending_seconds",
            "Age of the oldest flow signal whose work is not done (0: none)",
            value=c.oldest_signal_seconds,
        )
        waiting = GaugeMetricFamily(
            "saraban_memos_waiting", "Memos waiting for a person", labels=["organisation", "status"]
        )
        for (organisation, status), count in sorted(c.memos_waiting.items()):
            waiting.add_metric([organisation, status], count)
        yield waiting
        for name, text, per_organisation in (
            ("saraban_memos_overdue", "Memos waiting past their due date", c.memos_overdue),
            ("saraban_memos_flow_problem", "Memos with a problem recorded after a decision", c.flow_problems),
            ("saraban_work_notices_failed", "Notices of work arriving given up on", c.failed_work_notices),
            ("saraban_publication_posts_failed", "Publication channel posts that failed", c.failed_channel_posts),
        ):
            gauge = GaugeMetricFamily(name, text, labels=["organisation"])
            for organisation, count in sorted(per_organisation.items()):
                gauge.add_metric([organisation], count)
            yield gauge
