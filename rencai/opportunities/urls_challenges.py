"""Patterns of the challenges part of 人才对接 (included by urls.py under the "opportunities" namespace): 揭榜挂帅
— the list of challenges, publishing one, 揭榜, the proposals with their decisions. A challenge's own page is
opportunities:detail."""

from django.urls import path

from . import views_challenges as views

urlpatterns = [
    path("challenges/", views.challenge_list, name="challenges"),
    path("challenges/new/", views.challenge_new, name="challenge_new"),
    path("challenges/<int:challenge_id>/take/", views.challenge_take, name="challenge_take"),
    path("challenges/<int:challenge_id>/proposals/", views.proposals, name="challenge_proposals"),
    path("challenges/<int:challenge_id>/proposals/export/", views.proposals_export,
         name="challenge_proposals_export"),
    path("challenges/proposals/<int:proposal_id>/decide/", views.proposal_decide, name="challenge_decide"),
]
