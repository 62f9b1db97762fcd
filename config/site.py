"""The viewflow site: the menu of applications every signed-in person sees.

Shared file: each app adds its import and one entry to `viewsets` (additive edits only).
"""

from viewflow.urls import Site

from accounts.viewsets import HomeApp
from evaluations.viewsets import EvaluationsApp
from notifications.viewsets import NotificationsApp
from tracking.viewsets import TrackingApp
from workflows.flow_viewsets import IncomingFlowApp, OutgoingFlowApp
from workflows.viewsets import DocumentsApp

site = Site(
    title="Liên thông văn bản",
    primary_color="#8e1b1b",
    secondary_color="#c62828",
    viewsets=[
        HomeApp(),
        DocumentsApp(),
        NotificationsApp(),
        IncomingFlowApp(),
        OutgoingFlowApp(),
        TrackingApp(),
        EvaluationsApp(),
    ],
)
