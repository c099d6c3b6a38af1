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
    """Replace Label Studio's permissions (``rules.set_perm`` overrides the registered ones)."""
    from core.permissions import all_permissions

    for _, name in all_permissions:
        rules.set_perm(name, allowed if name in LABELLING else refused_to_team)


def check_action_permission(user, action, project) -> bool:
    """Label Studio's check (every listed permission), and no team member runs any action but
    ``ALLOWED_ACTIONS`` (deleting tasks, annotations or predictions, converting predictions …)."""
    from data_manager.actions import check_action_permission as label_studio_check

    if is_team_member(user) and action.get("id") not in ALLOWED_ACTIONS:
        return False
    return label_studio_check(user, action, project)
