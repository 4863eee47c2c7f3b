"""A job's page and the progress partial its pages poll (htmx, every 2 seconds while it runs)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import selectors


@login_required
def job_page(request, job_id: int):
    job = selectors.job_get(user=request.user, job_id=job_id)
    return render(request, "jobs/job.html", {"job": job})


@login_required
def progress(request, job_id: int):
    job = selectors.job_get(user=request.user, job_id=job_id)
    if not request.headers.get("HX-Request"):  # a fragment for htmx; a person opening it gets the job's page
        return redirect("jobs:job", job_id=job.pk)
    response = render(request, "jobs/_progress.html", {"job": job, "refresh": request.GET.get("refresh") == "1"})
    if job.finished and request.GET.get("refresh") == "1" and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # the page shows the job's results once it has finished
    return response
