"""Shell pages: home, settings index, global search, job progress, audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .exceptions import DomainError, NotAllowed
from .http import AuthedRequest
from .jobfiles import FileStatus, export_file_path, job_file_status, job_page_context
from .jobs import job_cancel
from .models import Job, audit_prepare
from .search import exact_hit, search, search_more
from .selectors import audit_filter, job_list
from .services import audit_export_start
from .visibility import can_read_type, get_for_user


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """A module's start page for the users it is for (My day for those with customers), else this one."""
    from .registry import HOME_PAGES

    if not request.GET.get("all"):
        for page in HOME_PAGES.ordered():
            if page.applies(request.user):
                response: HttpResponse = page.view(request)
                return response
    jobs = job_list(request.user).filter(started_by_id=request.user.pk)[:5]
    return render(request, "core/home.html", {"jobs": jobs})


@login_required
def settings_index(request: AuthedRequest) -> HttpResponse:
    return render(request, "core/settings.html")


@login_required
@require_GET
def global_search(request: AuthedRequest) -> HttpResponse:
    """The search box's dropdown (htmx) and the search page: ten hits per kind with a "more" link, or
    with ``?type=`` the pages of one kind. Enter on a whole identifier that one record has opens it."""
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("type", "")
    if query and kind:
        try:
            number = int(request.GET.get("page", "1"))
        except ValueError:
            number = 1
        more = search_more(request.user, query, kind, number)
        if more is not None:
            return render(request, "core/search.html", {"q": query, "more": more})
    found = search(request.user, query, limit=SEARCH_LIMIT + 1) if query else []
    if not request.htmx and (hit := exact_hit(found)):
        return redirect(hit.url)
    groups = [(provider, hits[:SEARCH_LIMIT], len(hits) > SEARCH_LIMIT) for provider, hits in found]
    template = "core/search.html#results" if request.htmx else "core/search.html"
    return render(request, template, {"q": query, "groups": groups})


SEARCH_LIMIT = 10  # hits per kind in the dropdown and on the search page before "more"


@login_required
def job_detail(request: AuthedRequest, pk: str) -> HttpResponse:
    job = get_for_user(Job.objects.all(), request.user, pk)
    template = "core/job_detail.html#progress" if request.htmx else "core/job_detail.html"
    return render(request, template, job_page_context(request.user, job))


@login_required
def job_download(request: AuthedRequest, pk: str) -> HttpResponse | FileResponse:
    job = get_for_user(Job.objects.all(), request.user, pk)  # 404 to who may not see the job
    status = job_file_status(request.user, job)
    if status == FileStatus.NONE:
        raise Http404
    if status == FileStatus.NOT_ALLOWED:  # seeing a job is not enough: its starter or an administrator
        raise PermissionDenied
    if status == FileStatus.EXPIRED:  # files with personal data are deleted after a while (KVKK): say so
        return render(request, "core/job_file_gone.html", {"job": job}, status=410)
    path = export_file_path(job)
    assert path is not None
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.result_file)
    response["Cache-Control"] = "no-store, private"  # personal data: no copy in a shared or browser cache
    return response


@login_required
@require_POST
def job_cancel_view(request: AuthedRequest, pk: str) -> HttpResponse:
    job = get_for_user(Job.objects.all(), request.user, pk)
    try:
        job_cancel(actor=request.user, job=job)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The job is cancelled.") if job.finished else _("The job will stop shortly."))
    url = reverse("core:job_detail", args=[job.pk])
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": url})
    return redirect(url)


@login_required
def audit_list_view(request: AuthedRequest) -> HttpResponse:
    if not can_read_type(request.user, "core.auditentry"):
        raise PermissionDenied
    filterset = audit_filter(request.user, request.GET, allowed=("page",))
    # An invalid or unknown filter lists nothing, with the reason: ignored, it would list more than asked for.
    valid = not filterset.is_bound or filterset.is_valid()
    unknown = [str(m) for name in filterset.unknown_params() for m in filterset.errors[name]]
    entries = filterset.qs if valid else filterset.queryset.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = audit_prepare(
        list(page.object_list)
    )  # the names of linked records (owners, teams), one query per model
    template = "core/audit_list.html#table" if request.htmx else "core/audit_list.html"
    return render(request, template, {"form": filterset.form, "page": page, "unknown_filters": unknown})


@login_required
@require_POST
def audit_export(request: AuthedRequest) -> HttpResponse:
    filters = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    checked = audit_filter(request.user, filters)
    if checked.is_bound and not checked.is_valid():
        messages.error(request, _("Correct the filter before exporting."))
        return redirect("core:audit_list")
    try:
        job = audit_export_start(actor=request.user, filters=filters)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("The export has started."))
    return redirect("core:job_detail", pk=job.pk)


def _error_json_or_page(request: AuthedRequest, status: int, template: str, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"message": message, "code": code, "errors": {}}, status=status)
    return render(request, template, status=status)


def not_found(request: AuthedRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_json_or_page(request, 404, "404.html", "not_found", _("Not found."))


def forbidden(request: AuthedRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_json_or_page(
        request, 403, "403.html", "permission_denied", _("You do not have permission to do this.")
    )


def bad_request(request: AuthedRequest, exception: Exception | None = None) -> HttpResponse:
    """400 for a request Django itself refuses (too many fields, a disallowed host...)."""
    message = _("The request could not be read.")
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"message": message, "code": "bad_request", "errors": {}}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def server_error(request: AuthedRequest) -> HttpResponse:
    """500: the API answers in its one error shape too, never with an HTML page. The page is static (no
    context processors), since the error may come from what they read."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        message = _("Something went wrong on the server. The error was logged; try again later.")
        return JsonResponse({"message": message, "code": "server_error", "errors": {}}, status=500)
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
