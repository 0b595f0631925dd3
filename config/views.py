"""Portal-wide pages: the home dashboard per role and the health endpoint.
The dashboard composes figures from every app, so it lives above them."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agencies import selectors as directory
from conferences import selectors as conferences
from indices import selectors as indices
from submissions import selectors as submissions

from .health import health_report

DASHBOARD_TEMPLATES = {
    "administrator": "home/administrator.html",
    "organiser": "home/organiser.html",
    "official": "home/official.html",
    "leader": "home/leader.html",
}


@login_required
def home(request):
    user = request.user
    role = "administrator" if user.is_administrator else user.role
    context = {"counts": directory.directory_counts(user=user)}
    # Each list is the pending part of a menu page, read by that page's
    # selector, so the home never says "nothing" while the page has something.
    if user.is_official:
        context["my_agency"] = user.agency
        context["colleagues"] = directory.person_list(user=user, agency=user.agency)[:10]
        context["invitations"] = conferences.invitations_to_answer(user=user)
        context["assignments"] = conferences.assignment_list_for_agency(user=user, open_only=True)[:8]
        context["presentations"] = submissions.owed_by_agency(user=user)[:6]
        context["self_assessments"] = indices.self_assessments_open(user)
        context["explanations_due"] = indices.explanations_due(user)
    if user.is_organiser or user.is_leader:
        context["conferences"] = conferences.conference_list(user=user)[:6]
        context["assignments"] = conferences.open_assignments(user=user)[:8]
        context["late"] = conferences.conferences_late(user=user)
    if user.is_organiser or user.is_administrator:
        context["recent_imports"] = directory.directory_import_list(user=user)[:5]
    if user.is_organiser:
        context["presentations"] = submissions.presentation_list(user=user, status="submitted")[:6]
        context["appraisals"] = indices.appraisals_waiting(user)[:8]
    if user.is_leader:
        context["publications"] = indices.publications_recent(user)[:4]
        context["plans"] = conferences.plans_in_force(user=user)[:6]
    return render(request, DASHBOARD_TEMPLATES[role], context)


@never_cache
@require_GET
def healthz(request):
    report = health_report()
    # 503 only when the database is gone: the portal cannot serve at all.
    status = 200 if report["database"]["ok"] else 503
    return JsonResponse(report, status=status, json_dumps_params={"ensure_ascii": False})
