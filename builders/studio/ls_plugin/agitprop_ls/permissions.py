"""Roles for Label Studio Community, which has one role for everybody.

Label Studio checks every API view against a django-rules permission (``core/permissions.py``
registers all of them as ``rules.is_authenticated``). Here the permissions that let a user do more
than label are narrowed: members of the ``agitprop-annotator`` or ``agitprop-reviewer`` group
are refused them; everybody else (the admin, agitprop's per-organisation manager accounts) keeps
Label Studio's behaviour. The table, and what this cannot isolate, is in docs/label-studio.md.
"""

from __future__ import annotations

import rules

ANNOTATOR = "agitprop-annotator"
REVIEWER = "agitprop-reviewer"
MANAGER = "agitprop-manager"

is_team_member = rules.is_group_member(ANNOTATOR) | rules.is_group_member(REVIEWER)

# What a labelling-only account may do: see its organisation's project(s), tasks and annotations,
# label (create/change annotations and drafts), use data-manager tabs, and manage its own token
# and avatar. Everything else registered by Label Studio is refused to team members.
LABELLING = frozenset(
    {
        "projects.view",
        "tasks.view",
        "annotations.view",
        "annotations.create",
        "annotations.change",
        # deleting one's own draft or annotation from the labelling screen; the data-manager bulk
        # "delete annotations" action is refused below
        "annotations.delete",
        "views.view",
        "views.create",
        "views.change",
        "views.delete",
        "views.reset",
        "labels.view",
        "organizations.view",  # the UI reads its own organisation's name and members
        "users.token.any",  # a token acts as its owner, with the same refusals
        "avatar.any",
        "actions.perform",  # each action is checked by its own permissions too (below)
    }
)

# Data-manager actions a team member may run (the others delete or rewrite data).
ALLOWED_ACTIONS = frozenset({"next_task"})

allowed = rules.is_authenticated
refused_to_team = rules.is_authenticated & ~is_team_member


def install() -> None:
    """Replace Label Studio's permissions (``rules.set_perm`` overrides the registered ones) and
    make every API view check them."""
    from core.permissions import all_permissions
    from rest_framework.settings import api_settings
    from rest_framework.views import APIView

    for _, name in all_permissions:
        rules.set_perm(name, allowed if name in LABELLING else refused_to_team)
    # DRF read its settings (and APIView its default permission classes) while Label Studio's
    # settings module was still being imported, before ours added HasRequiredPermission
    api_settings.reload()
    APIView.permission_classes = tuple(api_settings.DEFAULT_PERMISSION_CLASSES)

    from data_import.api import FileUploadAPI
    from organizations.api import OrganizationMemberDetailAPI
    from webhooks.api import WebhookAPI, WebhookListAPI

    # Views that replace the default permission classes skip the check of ``permission_required``
    # (api_permissions.py): give it back. Without it an annotator could remove the manager
    # account from their organisation (DELETE .../memberships/<id>), which Label Studio then
    # moves into the admin's organisation.
    for view in (WebhookAPI, WebhookListAPI, OrganizationMemberDetailAPI):
        _enforce_required_permission(view)
    # ``/api/import/file-upload/<id>`` replaces the default permission classes with plain
    # IsAuthenticated, so no object check ran: any user could read, change or delete any
    # organisation's uploaded file. Restore the object check (the upload's project decides).
    FileUploadAPI.permission_classes = tuple(api_settings.DEFAULT_PERMISSION_CLASSES)


def _enforce_required_permission(view) -> None:
    from agitprop_ls.api_permissions import HasRequiredPermission

    declared = view.__dict__.get("permission_classes")
    if isinstance(declared, property):  # chosen per request method
        chosen = declared.fget
        view.permission_classes = property(lambda self: [*chosen(self), HasRequiredPermission])
    else:
        view.permission_classes = (*view.permission_classes, HasRequiredPermission)


def check_action_permission(user, action, project) -> bool:
    """Label Studio's check (every listed permission), and no team member runs any action but
    ``ALLOWED_ACTIONS`` (deleting tasks, annotations or predictions, converting predictions …)."""
    from data_manager.actions import check_action_permission as label_studio_check

    if is_team_member(user) and action.get("id") not in ALLOWED_ACTIONS:
        return False
    return label_studio_check(user, action, project)
